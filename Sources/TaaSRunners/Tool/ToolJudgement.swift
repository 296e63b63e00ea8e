import Foundation
import TaaSCore

/// The verdict rules shared by the runners that read per-test cases from a tool.
///
/// A tool that cannot run (not on `PATH`, a working directory that does not exist) is `error`; a
/// timeout is `fail`; a non-zero exit with failing cases is `fail`; a non-zero exit with no failing
/// case (a build error, a usage error) is `error`; exit 0 with no case at all is `error`.
enum ToolJudgement {
    /// The verdict of a finished tool run.
    /// - Parameters:
    ///   - run: the outcome, the cases read from the tool's output or report, and why they could not be read.
    ///   - tool: the tool's command, for messages (such as `go test`).
    ///   - program: the program looked up on `PATH`; by default the first word of `tool`.
    ///   - noTests: the message when the tool ran no test.
    ///   - ownRules: the tool's own rules, applied after the rules for a tool that could not run, a
    ///     refused report and a timeout, before those on failed cases and exit codes.
    static func judge(
        _ run: ToolRun,
        tool: String,
        program: String? = nil,
        noTests: String,
        timeout: Duration,
        ownRules: (@Sendable (ToolRun) -> RunnerResult?)? = nil
    ) -> RunnerResult {
        let outcome = run.outcome
        let program = program ?? String(tool.split(separator: " ").first ?? "")
        if let problem = unrunnable(outcome, tool: program) { return run.result(.error, problem) }
        if let problem = run.problem, isRefusal(problem) {
            return RunnerResult(verdict: .error, outcome: outcome, message: problem)
        }
        if outcome.timedOut { return run.result(.fail, outcome.summary(timeout: timeout)) }
        if let own = ownRules?(run) { return own }
        let failed = run.cases.filter { $0.verdict == .fail || $0.verdict == .error }
        if !failed.isEmpty { return run.result(.fail, failedMessage(failed)) }
        switch outcome.exitCode {
        case 0:
            if run.cases.isEmpty { return run.result(.error, run.problem ?? noTests) }
            return run.result(.pass, nil)
        case nil:
            return run.result(.fail, "\(tool) \(outcome.summary())")
        case let code?:
            let detail = run.problem.map { " (\($0))" } ?? ""
            return run.result(
                .error,
                "\(tool) ended with exit code \(code) but no test failed\(detail): \(lastLines(outcome))"
            )
        }
    }

    /// Whether a report problem is one taas refused to read (a case limit, a DOCTYPE): the scenario is
    /// then `error` whatever the exit code, and none of the report's cases count.
    static func isRefusal(_ problem: String) -> Bool {
        problem.contains("case limit reached") || problem.contains(XMLPreflight.doctypeMessage)
            || problem.contains("taas reads UTF-8 only") || problem.contains("is not UTF-8")
    }

    /// Why the tool could not run at all, or `nil` when it ran.
    static func unrunnable(_ outcome: StepOutcome, tool: String) -> String? {
        if let launchError = outcome.launchError { return launchError }
        let errors = outcome.stderr.tail
        // Tools whose standard error is merged into their output (cargo, swift) have the shell's
        // "cargo: not found" on standard output.
        let merged = outcome.stdout.tail
        if outcome.exitCode == 127,
            errors.contains("not found") || errors.contains("cannot run") || merged.contains("\(tool): not found")
                || merged.contains("\(tool): command not found")
        {
            return "\(tool) is not installed in the sandbox (not found on its PATH); use an image that has it, "
                + "or add its folder to PATH in environment.env or the scenario's env"
        }
        if outcome.exitCode == 126, errors.contains("cannot enter the working directory") {
            return "the working directory does not exist in the sandbox: \(lastLines(outcome))"
        }
        return nil
    }

    /// "2 tests failed: a, b".
    /// - Parameter qualified: names carry their classname (pytest's node ids are clear without it).
    static func failedMessage(_ failed: [CaseResult], qualified: Bool = true) -> String {
        let names = failed.prefix(5).map {
            !qualified || $0.classname.isEmpty ? $0.name : "\($0.classname).\($0.name)"
        }
        return "\(failed.count) test\(failed.count == 1 ? "" : "s") failed: \(names.joined(separator: ", "))"
            + (failed.count > 5 ? ", …" : "")
    }

    /// The last non-empty lines of the step's output.
    static func lastLines(_ outcome: StepOutcome, count: Int = 3) -> String {
        let text = outcome.stdout.tail + "\n" + outcome.stderr.tail
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .suffix(count).joined(separator: " | ")
    }
}
