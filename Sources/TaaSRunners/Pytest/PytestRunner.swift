import Foundation
import TaaSCore

/// Runs `python3 -m pytest TARGET` with a JUnit XML file and reads every test case from it.
///
/// pytest's exit codes decide the verdict: 0 passes (when tests were collected), 1 fails, and the
/// rest (2 interrupted or collection errors, 3 internal error, 4 usage error, 5 no tests
/// collected) are `error`, as is a sandbox with no pytest.
public struct PytestRunner: Runner {
    public init() {}

    public var name: String { "pytest" }

    public func run(
        _ attempt: RunnerAttempt,
        in sandbox: any SandboxInstance
    ) async throws(SandboxError) -> RunnerResult {
        guard let execution = attempt.execution else {
            return .noExecution
        }
        let reportName = "\(attempt.label).junit.xml"
        let reportPath = "\(sandbox.artifactsPath)/\(reportName)"
        let step = StepRequest(
            label: attempt.label,
            arguments: [
                "/bin/sh", "-c", "exec python3 -m pytest \"$@\"", "pytest",
                execution.target, "-p", "no:cacheprovider", "--junitxml=\(reportPath)", "-o", "junit_family=xunit1",
                "-q", "--color=no",
            ] + execution.arguments,
            workingDirectory: execution.workingDirectory,
            environment: attempt.scenario.environment,
            timeout: attempt.scenario.timeout
        )
        let outcome = try await sandbox.run(step)
        var cases: [CaseResult] = []
        var reportProblem: String?
        if let data = try await sandbox.readArtifact(reportName) {
            do { cases = try JUnitParser.cases(from: data, limits: attempt.limits) } catch {
                reportProblem = error.description
            }
        }
        return Self.judge(
            outcome,
            cases: cases,
            reportProblem: reportProblem,
            target: execution.target,
            timeout: attempt.scenario.timeout
        )
    }

    /// The verdict of a finished pytest run.
    static func judge(
        _ outcome: StepOutcome,
        cases: [CaseResult],
        reportProblem: String?,
        target: String,
        timeout: Duration
    ) -> RunnerResult {
        func result(_ verdict: Verdict, _ message: String?) -> RunnerResult {
            RunnerResult(verdict: verdict, outcome: outcome, cases: cases, message: message)
        }
        if let launchError = outcome.launchError { return result(.error, launchError) }
        if let problem = reportProblem, ToolJudgement.isRefusal(problem) {
            return RunnerResult(verdict: .error, outcome: outcome, message: problem)
        }
        if let problem = ToolJudgement.unrunnable(outcome, tool: "python3"), outcome.exitCode == 126 {
            return result(.error, problem)
        }
        if outcome.timedOut { return result(.fail, outcome.summary(timeout: timeout)) }
        let output = outcome.stdout.tail + "\n" + outcome.stderr.tail
        // A JUnit file that contradicts pytest's own closing line was rewritten after pytest wrote it.
        if let summary = PytestSummary.parse(outcome.stdout.tail), let problem = summary.contradiction(with: cases) {
            return result(.error, problem)
        }
        if outcome.exitCode == 127 {
            return result(.error, "python3 is not installed in the sandbox, so pytest cannot run")
        }
        if outcome.exitCode == 1, cases.isEmpty, output.contains("No module named pytest") {
            return result(.error, "pytest is not installed in the sandbox; add \"pytest\" to environment.dependencies")
        }
        switch outcome.exitCode {
        case 0:
            if cases.isEmpty {
                return result(.error, reportProblem ?? "pytest collected no tests from \(target)")
            }
            return result(.pass, nil)
        case 1:
            let failed = cases.filter { $0.verdict == .fail || $0.verdict == .error }
            let names = failed.prefix(5).map(\.name).joined(separator: ", ")
            return result(
                .fail,
                failed.isEmpty
                    ? "pytest reported failures"
                    : "\(failed.count) test\(failed.count == 1 ? "" : "s") failed: \(names)\(failed.count > 5 ? ", …" : "")"
            )
        case 2:
            return result(
                .error,
                "pytest was interrupted, for example by errors while collecting \(target): \(lastLines(output))"
            )
        case 3:
            return result(.error, "pytest had an internal error: \(lastLines(output))")
        case 4:
            return result(.error, "pytest could not run \(target) (usage error): \(lastLines(output))")
        case 5:
            return result(.error, "pytest collected no tests from \(target)")
        case nil:
            return result(.fail, "pytest \(outcome.summary())")
        default:
            return result(.error, "pytest ended with exit code \(outcome.exitCode!): \(lastLines(output))")
        }
    }

    private static func lastLines(_ text: String) -> String {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.suffix(3)
            .joined(separator: " | ")
    }
}

extension Runner where Self == PytestRunner {
    /// pytest, with per-case results from its JUnit XML.
    public static var pytest: PytestRunner { PytestRunner() }
}
