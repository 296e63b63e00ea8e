import ArgumentParser
import Foundation
import TaaSCore
import TaaSEngine

/// `taas validate SCOPE`: checks a scope and prints every problem with its JSON path.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a TestScope file and print every problem with its JSON path.",
        discussion: """
            SCOPE is a JSON or YAML file, or a folder with a scope.json or scope.yaml. Problems name their \
            JSON path and the line and column in the file.

            --workspace DIR also checks that the pytest targets and the script files the commands run exist \
            in DIR (warnings: a setup step may create them).

            --format json prints one JSON object on standard output: {"file", "valid", "scope_id", \
            "fingerprint", "scenarios", "problems": [{"severity", "path", "message", "hint", "line", "column", \
            "code"}]}.

            Exit codes: 0 valid (warnings may be printed), 3 invalid or unreadable.
            """
    )

    /// The output formats of `taas validate`.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(
        help: "The TestScope file (JSON or YAML), or a folder with a scope.json or scope.yaml.",
        completion: .file(extensions: ["json", "yaml", "yml"])
    )
    var scope: String

    @Option(help: "Also check the scope's files against this workspace folder (warnings).", completion: .directory)
    var workspace: String?

    @Option(help: "text (default) or json (one object on standard output, for tools).")
    var format: OutputFormat = .text

    func run() throws {
        let loaded: (scope: TestScope, warnings: [ScopeIssue])
        do {
            loaded = try ScopeLoading.load(scope)
        } catch let error as InvalidScopeError where format == .json {
            try printJSON(valid: false, problems: error.issues.map(problem), file: error.source)
            throw CommandOutcome.exit(ExitCodes.invalidScope)
        } catch let error as ScopeFileError where format == .json {
            let problem: JSONValue = .object([
                JSONMember(key: "severity", value: .string("error")),
                JSONMember(key: "path", value: .string("")),
                JSONMember(key: "message", value: .string(error.description)),
                JSONMember(key: "code", value: .string(error.code.description)),
            ])
            try printJSON(valid: false, problems: [problem], file: error.path)
            throw CommandOutcome.exit(ExitCodes.invalidScope)
        }
        var warnings = loaded.warnings
        if let workspace {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: workspace, isDirectory: &isFolder), isFolder.boolValue else {
                throw CommandOutcome.error("taas: --workspace \(workspace) is not a folder")
            }
            warnings += WorkspaceCheck.issues(loaded.scope, workspace: URL(fileURLWithPath: workspace))
        }
        if format == .json {
            try printJSON(valid: true, problems: warnings.map(problem), scope: loaded.scope)
            return
        }
        if !warnings.isEmpty {
            ScopeLoading.printError("\(scope): \(warnings.count) warning\(warnings.count == 1 ? "" : "s")")
            ScopeLoading.printWarnings(warnings)
        }
        print(
            "\(scope): valid TestScope \"\(loaded.scope.id)\" with \(loaded.scope.scenarios.count) scenario\(loaded.scope.scenarios.count == 1 ? "" : "s") (\(loaded.scope.fingerprint))"
        )
    }

    private func problem(_ issue: ScopeIssue) -> JSONValue {
        var members = [
            JSONMember(key: "severity", value: .string(issue.severity.rawValue)),
            JSONMember(key: "path", value: .string(issue.path.description)),
            JSONMember(key: "message", value: .string(issue.message)),
        ]
        if let hint = issue.hint { members.append(JSONMember(key: "hint", value: .string(hint))) }
        if let location = issue.location, location != .unknown {
            members.append(JSONMember(key: "line", value: .number(JSONNumber(String(location.line)))))
            members.append(JSONMember(key: "column", value: .number(JSONNumber(String(location.column)))))
        }
        return .object(members)
    }

    private func printJSON(
        valid: Bool,
        problems: [JSONValue],
        scope loaded: TestScope? = nil,
        file: String? = nil
    )
        throws
    {
        var members = [
            JSONMember(key: "file", value: .string(file ?? scope)),
            JSONMember(key: "valid", value: .bool(valid)),
        ]
        if let loaded {
            members.append(JSONMember(key: "scope_id", value: .string(loaded.id)))
            members.append(JSONMember(key: "fingerprint", value: .string(loaded.fingerprint)))
            members.append(JSONMember(key: "scenarios", value: .number(JSONNumber(String(loaded.scenarios.count)))))
        }
        members.append(JSONMember(key: "problems", value: .array(problems)))
        var data = PrettyJSON.data(.object(members))
        if data.last != 0x0A { data.append(0x0A) }
        FileHandle.standardOutput.write(data)
    }
}
