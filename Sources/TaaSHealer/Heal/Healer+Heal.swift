import Foundation
import TaaSCore
import TaaSEngine
import TaaSIntegrity

extension Healer {
    /// Runs exactly one correction cycle (see ``HealOptions``) and writes `heal.json` into the
    /// output folder:
    /// 1. diagnoses the report; a diagnosis of only flaky or environment failures gets a proposal
    ///    (stabilise or quarantine; the dependency to add) and no fixer;
    /// 2. copies the workspace and runs the fixer in the copy, with `heal-request.json` on its
    ///    standard input and in the copy's root, killed at its budget;
    /// 3. the law guard: any change to the law rejects the fix (or, for an outdated test, becomes
    ///    a law amendment proposal; the verdict stays `fail`);
    /// 4. re-runs the scope on the copy in the same kind of sandbox, its lock verified;
    /// 5. with ``HealOptions/apply`` and a new verdict `pass`, copies the fix into the workspace.
    /// - Throws: ``HealerError`` when an input cannot be read or the copy cannot be made; a fixer
    ///   that fails, hangs or changes the law is an outcome, not an error.
    public static func heal(_ options: HealOptions) async throws(HealerError) -> HealResult {
        let report = try readReport(options.reportFile)
        guard report.verdict != .pass else {
            throw HealerError(.input, "\(options.reportFile.path) has verdict pass: there is nothing to heal")
        }
        let context = try await DiagnosisContext.load(
            reportFile: options.reportFile,
            workspace: options.workspace,
            scopeFile: options.scopeFile
        )
        guard let scope = context.scope else {
            throw HealerError(.input, "the scope \(options.scopeFile.path) does not exist; give it with --scope")
        }
        let diagnosis = Diagnoser(context: context).diagnose(report)
        let out = options.outputDirectory
        do {
            try? FileManager.default.removeItem(at: out)
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        } catch {
            throw HealerError(.output, "cannot create \(out.path): \(error.localizedDescription)")
        }
        do { try diagnosis.jsonData().write(to: out.appendingPathComponent(Diagnosis.fileName)) } catch {
            throw HealerError(.output, "cannot write into \(out.path): \(error.localizedDescription)")
        }
        if options.workspace.path == out.path || out.path.hasPrefix(options.workspace.path + "/") {
            throw HealerError(.input, "--out \(out.path) lies inside the workspace; choose a folder outside it")
        }
        guard let scopePath = relative(options.scopeFile, to: options.workspace) else {
            throw HealerError(
                .input,
                "the scope \(options.scopeFile.path) must lie in the workspace \(options.workspace.path)"
            )
        }
        let copy = out.appendingPathComponent("workspace")
        var result = HealResult(
            outcome: .stillFailing,
            reason: "",
            paths: [],
            diff: "",
            verdictBefore: report.verdict.rawValue,
            verdictAfter: report.verdict.rawValue,
            report: nil,
            fixer: nil,
            proposal: nil,
            workspaceCopy: copy.path,
            applied: false
        )
        // Flaky and environment failures are not code to fix: a proposal, and no fixer.
        let classes = Set(diagnosis.items.map(\.failureClass))
        if !classes.isEmpty, classes.isSubset(of: [.flaky, .environment]) {
            let proposal = out.appendingPathComponent("proposal.json")
            try write(Proposal.forDiagnosis(diagnosis, scope: scope), to: proposal)
            result.outcome = .amendmentProposed
            result.reason = classes.contains(.environment) ? "environment" : "flaky"
            result.proposal = proposal.path
            result.workspaceCopy = ""
            try write(result.jsonData(), to: out.appendingPathComponent(HealResult.fileName))
            return result
        }

        try WorkspaceCopy.make(of: options.workspace, at: copy)
        let lawBefore = try LawGuard.snapshot(scope: scope, scopeFile: scopePath, workspace: copy)
        let request = HealRequest.make(
            diagnosis: diagnosis,
            report: report,
            context: context,
            lawFiles: lawBefore.keys.sorted(),
            budgetSeconds: options.budgetSeconds,
            copy: copy
        )
        try write(request, to: copy.appendingPathComponent(HealRequest.fileName))
        try write(request, to: out.appendingPathComponent(HealRequest.fileName))

        let run: ProcessRunner.Result
        do {
            var environment = ProcessInfo.processInfo.environment
            environment["TAAS_HEAL_REQUEST"] = copy.appendingPathComponent(HealRequest.fileName).path
            run = try ProcessRunner.run(
                "/bin/sh",
                ["-c", options.fixer],
                in: copy,
                stdin: request,
                budget: options.budgetSeconds,
                environment: environment
            )
        } catch {
            throw HealerError(.input, "the fixer could not be started: \(error.message)")
        }
        try? FileManager.default.removeItem(at: copy.appendingPathComponent(HealRequest.fileName))
        result.fixer = HealResult.Fixer(
            command: options.fixer,
            exitCode: run.exitCode,
            durationMS: run.durationMS,
            outputTail: String(decoding: run.output.suffix(4096), as: UTF8.self),
            timedOut: run.timedOut
        )
        result.diff = WorkspaceCopy.diff(options.workspace, copy)
        let changed = try WorkspaceCopy.changedFiles(options.workspace, copy)
        result.paths = changed

        if run.timedOut || run.exitCode != 0 {
            result.outcome = .fixerFailed
            result.reason = run.timedOut ? "fixer_timed_out" : "fixer_exit_code"
            try write(result.jsonData(), to: out.appendingPathComponent(HealResult.fileName))
            return result
        }
        // The law guard. The scope is read again from the copy only to find its law: a changed
        // scope is itself a law change.
        let lawAfter = try LawGuard.snapshot(scope: scope, scopeFile: scopePath, workspace: copy)
        let lawChanges = LawGuard.changes(from: lawBefore, to: lawAfter)
        if !lawChanges.isEmpty {
            result.paths = lawChanges
            let failing = diagnosis.items.filter { $0.failureClass != .flaky }
            if !failing.isEmpty, failing.allSatisfy({ $0.failureClass == .testOutdated }),
                !lawChanges.contains(scopePath)
            {
                let proposal = out.appendingPathComponent("proposal.json")
                try write(Proposal.amendment(diff: result.diff, paths: lawChanges, diagnosis: diagnosis), to: proposal)
                result.outcome = .amendmentProposed
                result.reason = "test_outdated"
                result.proposal = proposal.path
            } else {
                result.outcome = .rejected
                result.reason = "law_changed"
            }
            try write(result.jsonData(), to: out.appendingPathComponent(HealResult.fileName))
            return result
        }

        // Re-run on the fixed copy, in the same kind of sandbox, with the lock verified.
        let rerun = out.appendingPathComponent("report")
        let outcome = try await rerunScope(
            scopeFile: copy.appendingPathComponent(scopePath),
            workspace: copy,
            output: rerun,
            sandbox: report.sandbox,
            cacheDirectory: options.cacheDirectory
        )
        result.report = outcome.reportFile.path
        result.verdictAfter = outcome.report.verdict.rawValue
        result.reason = "verdict_\(outcome.report.verdict.rawValue)"
        result.outcome = outcome.report.verdict == .pass ? .fixed : .stillFailing
        if options.apply, result.outcome == .fixed, outcome.report.lockStatus != .mismatch {
            try WorkspaceCopy.apply(changed, from: copy, to: options.workspace)
            result.applied = true
        }
        try write(result.jsonData(), to: out.appendingPathComponent(HealResult.fileName))
        return result
    }

    /// Runs the scope through the engine's public API, requiring the lock when the workspace has one.
    private static func rerunScope(
        scopeFile: URL,
        workspace: URL,
        output: URL,
        sandbox: SandboxDescription,
        cacheDirectory: URL?
    ) async throws(HealerError) -> RunOutcome {
        let scope: TestScope
        do { scope = try Judge.loadScope(at: scopeFile).scope } catch {
            throw HealerError(.input, "the scope \(scopeFile.path) cannot be read: \(error)")
        }
        let hasLock = FileManager.default.fileExists(atPath: ScopeLock.url(forScope: scopeFile).path)
        var request = RunRequest(
            scopeFile: scopeFile,
            workspace: workspace,
            outputDirectory: output,
            lock: hasLock ? .required : .automatic
        )
        request.options.sandboxKind = sandbox.kind
        request.options.allowUnsafeLocal = sandbox.unsafe
        request.options.offline = true
        if let cacheDirectory { request.options.cacheDirectory = cacheDirectory }
        do { return try await Judge.run(scope, request) } catch {
            throw HealerError(.workspace, "the re-run could not be carried out: \(error.message)")
        }
    }

    private static func write(_ data: Data, to url: URL) throws(HealerError) {
        do { try data.write(to: url, options: .atomic) } catch {
            throw HealerError(.output, "cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    private static func relative(_ url: URL, to root: URL) -> String? {
        let path = url.standardizedFileURL.path
        guard path.hasPrefix(root.path + "/") else { return nil }
        return String(path.dropFirst(root.path.count + 1))
    }
}
