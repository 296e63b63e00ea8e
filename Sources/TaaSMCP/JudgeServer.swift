import Foundation
import MCP
import TaaSCore
import TaaSEngine
import TaaSHealer

/// `taas mcp`: a Model Context Protocol server over stdio through which a coding agent calls the
/// Judge directly: ``JudgeTools`` lists its tools; this type answers their calls.
///
/// Standard output carries the protocol only; nothing else is printed there.
public struct JudgeServer: Sendable {
    /// The sandboxes `run_scope` may choose from.
    public var sandboxes: SandboxRegistry
    /// The folder relative paths are read from (the server's working folder).
    public var directory: URL
    /// The Quality Fabric's run history for `list_runs`; `nil`: local report folders only.
    public var runHistory: (any RunHistory)?

    public init(sandboxes: SandboxRegistry = .standard, directory: URL, runHistory: (any RunHistory)? = nil) {
        self.sandboxes = sandboxes
        self.directory = directory
        self.runHistory = runHistory
    }

    /// Serves the tools over standard input and output until the client closes the connection.
    public func serve() async throws {
        let server = Server(
            name: "maestro-taas",
            version: Harness.version,
            title: "Maestro TaaS, the Judge",
            instructions: """
                Validate a TestScope with validate_scope before running it with run_scope; a run's verdict is \
                pass, fail or error, and its failures come with their key lines. get_report reads a report.json \
                again; list_runs finds earlier runs; diagnose says why a run failed (code broken, test outdated, \
                flaky, environment, or unknown).
                """,
            capabilities: .init(tools: .init(listChanged: false))
        )
        let tools = JudgeTools.all(sandboxKinds: sandboxes.kinds)
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: tools) }
        await server.withMethodHandler(CallTool.self) { [self] parameters in
            await self.call(parameters, server: server)
        }
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
    }

    /// Answers one tool call; a problem with the call is a result with `isError`, never a crash.
    func call(_ parameters: CallTool.Parameters, server: Server) async -> CallTool.Result {
        let arguments = parameters.arguments ?? [:]
        do {
            switch parameters.name {
            case JudgeTools.validateScope: return try validate(arguments)
            case JudgeTools.runScope:
                return try await run(arguments, progressToken: parameters._meta?.progressToken, server: server)
            case JudgeTools.getReport: return try report(arguments)
            case JudgeTools.listRuns: return try await listRuns(arguments)
            case JudgeTools.diagnose: return try await diagnose(arguments)
            default:
                throw ToolCallError(
                    "there is no tool \"\(parameters.name)\"; the tools are \(JudgeTools.all(sandboxKinds: []).map(\.name).joined(separator: ", "))"
                )
            }
        } catch let error as ToolCallError {
            return .init(content: [.text(text: error.message, annotations: nil, _meta: nil)], isError: true)
        } catch {
            return .init(content: [.text(text: "\(error)", annotations: nil, _meta: nil)], isError: true)
        }
    }

    // MARK: - The tools

    private func validate(_ arguments: [String: Value]) throws -> CallTool.Result {
        var file: String?
        let scope: TestScope?
        var issues: [ScopeIssue]
        if let inline = arguments["scope"] {
            let read = ScopeReader.read(document: inline.json)
            (scope, issues) = (read.scope, read.issues)
        } else {
            let path = try url(arguments, "scope_path", required: true)!
            file = path.path
            do {
                let loaded = try Judge.loadScope(at: path)
                (scope, issues) = (loaded.scope, loaded.warnings)
            } catch let invalid as InvalidScopeError {
                (scope, issues) = (nil, invalid.issues)
            } catch let unreadable as ScopeFileError {
                let value: Value = [
                    "valid": false, "file": .string(unreadable.path),
                    "problems": [
                        [
                            "severity": "error", "path": "", "code": .string(unreadable.code.description),
                            "message": .string(unreadable.description),
                        ]
                    ],
                ]
                return try .init(
                    content: [.text(text: unreadable.description, annotations: nil, _meta: nil)],
                    structuredContent: value
                )
            }
        }
        if let scope, let workspace = try url(arguments, "workspace", required: false) {
            issues += WorkspaceCheck.issues(scope, workspace: workspace)
        }
        var fields: [String: Value] = [
            "valid": .bool(scope != nil),
            "problems": .array(issues.map(Self.problem)),
        ]
        if let file { fields["file"] = .string(file) }
        if let scope {
            fields["scope_id"] = .string(scope.id)
            fields["fingerprint"] = .string(scope.fingerprint)
            fields["scenarios"] = .int(scope.scenarios.count)
        }
        let headline =
            scope.map { "valid TestScope \"\($0.id)\" with \($0.scenarios.count) scenarios" }
            ?? "invalid TestScope: \(issues.filter { $0.severity == .error }.count) problems"
        let text = ([headline] + issues.map { "  \($0)" }).joined(separator: "\n")
        return try .init(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: .object(fields))
    }

    private func run(
        _ arguments: [String: Value],
        progressToken: ProgressToken?,
        server: Server
    ) async throws -> CallTool.Result {
        let path = try url(arguments, "scope_path", required: true)!
        let loaded: (scope: TestScope, warnings: [ScopeIssue])
        do { loaded = try Judge.loadScope(at: path) } catch let invalid as InvalidScopeError {
            throw ToolCallError(
                invalid.description + "\n(validate_scope lists the same problems as structured content)"
            )
        } catch let unreadable as ScopeFileError {
            throw ToolCallError(unreadable.description)
        }
        let scopeFile = try ScopeFile.locate(path)
        let out =
            try url(arguments, "out", required: false)
            ?? scopeFile.deletingLastPathComponent().appendingPathComponent("taas-out")
        var request = RunRequest(
            scopeFile: scopeFile,
            workspace: try url(arguments, "workspace", required: false),
            outputDirectory: out
        )
        request.options.sandboxes = sandboxes
        if let kind = arguments["sandbox"]?.stringValue {
            guard sandboxes.sandbox(kind: kind)?.isolates == true else {
                throw ToolCallError("sandbox \"\(kind)\" is not one of \(sandboxes.kinds.filter { $0 != "local" })")
            }
            request.options.sandboxKind = kind
        }
        request.options.selection = try selection(arguments, out: request.options.outputDirectory)
        let prepared: PreparedRun
        do { prepared = try Judge.prepare(loaded.scope, request) } catch { throw ToolCallError(error.message) }

        let (steps, continuation) = AsyncStream.makeStream(of: ProgressRelay.Step.self)
        let outcome = try await withThrowingTaskGroup(of: RunOutcome?.self) { group in
            group.addTask {
                for await step in steps {
                    guard let progressToken else { continue }
                    try? await server.notify(
                        ProgressNotification.message(
                            .init(
                                progressToken: progressToken,
                                progress: step.progress,
                                total: step.total,
                                message: step.message
                            )
                        )
                    )
                }
                return nil
            }
            group.addTask {
                defer { continuation.finish() }
                do throws(RunRequestError) {
                    return try await prepared.run(observer: ProgressRelay(continuation: continuation))
                } catch {
                    throw ToolCallError(error.message)
                }
            }
            var outcome: RunOutcome?
            for try await result in group where result != nil { outcome = result }
            return outcome!
        }
        return try .init(
            content: [
                .text(
                    text: ReportDigest.text(outcome.report, reportFile: outcome.reportFile),
                    annotations: nil,
                    _meta: nil
                )
            ],
            structuredContent: ReportDigest.value(outcome.report, reportFile: outcome.reportFile),
            isError: false
        )
    }

    private func selection(_ arguments: [String: Value], out: URL) throws -> ScenarioSelection? {
        let patterns = arguments["scenarios"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let keyword = arguments["keyword"]?.stringValue
        let failFast = arguments["fail_fast"]?.boolValue ?? false
        let rerunFailed = arguments["rerun_failed"]?.boolValue ?? false
        guard !patterns.isEmpty || keyword != nil || failFast || rerunFailed else { return nil }
        var selection = ScenarioSelection(patterns: patterns, failFast: failFast)
        if let keyword {
            do { selection.keyword = try KeywordExpression(keyword) } catch { throw ToolCallError("keyword: \(error)") }
        }
        if rerunFailed {
            do { selection.rerun = try Judge.lastFailures(in: out) } catch { throw ToolCallError(error.message) }
        }
        return selection
    }

    private func report(_ arguments: [String: Value]) throws -> CallTool.Result {
        let file = try reportFile(arguments)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ToolCallError("there is no report at \(file.path)")
        }
        let report: TaaSReport
        do { report = try TaaSReport.read(from: data) } catch {
            throw ToolCallError("\(file.path) is not a TaaS report: \(error)")
        }
        return try .init(
            content: [.text(text: ReportDigest.text(report, reportFile: file), annotations: nil, _meta: nil)],
            structuredContent: ReportDigest.value(report, reportFile: file, scenarios: true)
        )
    }

    private func listRuns(_ arguments: [String: Value]) async throws -> CallTool.Result {
        let limit = arguments["limit"]?.intValue ?? 50
        let scopeID = arguments["scope_id"]?.stringValue
        let verdict = arguments["verdict"]?.stringValue
        if arguments["root"] == nil, let runHistory {
            return try await fabricRuns(runHistory, scopeID: scopeID, verdict: verdict, limit: limit)
        }
        let root = try url(arguments, "root", required: false) ?? directory
        let runs = RunListing.find(under: root).filter {
            (scopeID == nil || $0.report.scopeID == scopeID)
                && (verdict == nil || $0.report.verdict.rawValue == verdict)
        }.prefix(limit)
        let value: Value = [
            "source": "local",
            "root": .string(root.path),
            "runs": .array(
                runs.map { run -> Value in
                    [
                        "report_path": .string(run.file.path), "run_id": .string(run.report.runID),
                        "scope_id": .string(run.report.scopeID), "verdict": .string(run.report.verdict.rawValue),
                        "started_at": .string(TaaSReport.timestamp(run.report.startedAt)),
                        "duration_ms": .int(run.report.durationMS),
                    ]
                }
            ),
        ]
        let text =
            runs.isEmpty
            ? "no report.json under \(root.path)"
            : runs.map {
                "\(TaaSReport.timestamp($0.report.startedAt)) \($0.report.verdict.rawValue.uppercased()) \($0.report.scopeID) \($0.file.path)"
            }.joined(separator: "\n")
        return try .init(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: value)
    }

    /// `list_runs` from the Fabric: its own run objects (run_id, scope_id, status, verdict, summary,
    /// labels, timestamps, trace_id), newest first.
    private func fabricRuns(
        _ history: any RunHistory,
        scopeID: String?,
        verdict: String?,
        limit: Int
    ) async throws -> CallTool.Result {
        let body: Data
        do { body = try await history.runs(scopeID: scopeID, verdict: verdict, limit: limit) } catch {
            throw ToolCallError("the Quality Fabric at \(history.source) did not answer: \(error)")
        }
        let answer: Value
        do { answer = try Value(jsonData: body) } catch {
            throw ToolCallError("the Quality Fabric at \(history.source) did not answer JSON: \(error)")
        }
        let runs = answer.objectValue?["runs"]?.arrayValue ?? []
        let text =
            runs.isEmpty
            ? "no runs on the Quality Fabric at \(history.source)"
            : runs.map { run in
                let fields = run.objectValue ?? [:]
                let verdict = fields["verdict"]?.stringValue?.uppercased() ?? fields["status"]?.stringValue ?? "?"
                return [fields["created_at"], fields["run_id"], fields["scope_id"]].map { $0?.stringValue ?? "?" }
                    .joined(separator: " ") + " " + verdict
            }.joined(separator: "\n")
        return try .init(
            content: [.text(text: text, annotations: nil, _meta: nil)],
            structuredContent: ["source": "fabric", "server": .string(history.source), "runs": .array(runs)]
        )
    }

    private func diagnose(_ arguments: [String: Value]) async throws -> CallTool.Result {
        let file = try reportFile(arguments)
        let workspace = try url(arguments, "workspace", required: false)
        let baseline = try url(arguments, "baseline", required: false)
        let history = try url(arguments, "history", required: false)
        let diagnosis: Diagnosis
        do {
            diagnosis = try await Healer.diagnose(
                reportFile: file,
                workspace: workspace,
                baseline: baseline,
                useGit: arguments["git"]?.boolValue ?? false,
                history: history
            )
        } catch { throw ToolCallError(error.message) }
        let text =
            diagnosis.items.isEmpty
            ? "nothing to diagnose: no case failed, errored or passed only on a retry"
            : diagnosis.items.map { item in
                "\(item.scenarioID)\(item.caseID.map { " \($0)" } ?? ""): \(item.failureClass.rawValue) "
                    + "(confidence \(item.confidence)): \(item.summary)"
            }.joined(separator: "\n")
        return try .init(
            content: [.text(text: text, annotations: nil, _meta: nil)],
            structuredContent: try Value(jsonData: diagnosis.jsonData())
        )
    }

    // MARK: - Arguments

    /// The `report_path` argument: a report.json, or the output folder that holds one.
    private func reportFile(_ arguments: [String: Value]) throws -> URL {
        var file = try url(arguments, "report_path", required: true)!
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder), isFolder.boolValue {
            file.appendPathComponent("report.json")
        }
        return file
    }

    /// A path argument, relative to ``directory``.
    private func url(_ arguments: [String: Value], _ name: String, required: Bool) throws -> URL? {
        guard let value = arguments[name] else {
            if required { throw ToolCallError("the argument \"\(name)\" is required") }
            return nil
        }
        guard let text = value.stringValue, !text.isEmpty else {
            throw ToolCallError("the argument \"\(name)\" must be a non-empty string (a path)")
        }
        return URL(fileURLWithPath: text, relativeTo: directory).standardizedFileURL
    }

    static func problem(_ issue: ScopeIssue) -> Value {
        var fields: [String: Value] = [
            "severity": .string(issue.severity.rawValue),
            "path": .string(issue.path.description),
            "message": .string(issue.message),
        ]
        if let hint = issue.hint { fields["hint"] = .string(hint) }
        if let location = issue.location, location != .unknown {
            fields["line"] = .int(location.line)
            fields["column"] = .int(location.column)
        }
        return .object(fields)
    }
}

/// A tool call that cannot be answered as asked; its message goes back to the agent.
struct ToolCallError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
