import Foundation
import TaaSCore

/// Runs any shell command (`execution.command`) and reads the test cases from the JUnit XML file it
/// writes (`execution.target`, relative to `execution.cwd`).
///
/// A stale file from the workspace is removed before the command runs, so only what this attempt
/// wrote counts. The command's exit code 0 with no report, or with a report without test cases, is
/// `error`; 126 and 127 (the program could not be run) are `error` too.
public struct JUnitFileRunner: Runner {
    public init() {}

    public var name: String { "junit" }

    public func run(
        _ attempt: RunnerAttempt,
        in sandbox: any SandboxInstance
    ) async throws(SandboxError) -> RunnerResult {
        guard let execution = attempt.execution, let command = execution.command else {
            return RunnerResult(
                verdict: .error,
                outcome: StepOutcome(exitCode: nil, duration: .zero),
                message: "the junit runner needs execution.command"
            )
        }
        let reportName = "\(attempt.label).junit.xml"
        let line = ([command] + execution.arguments.map(ShellQuoting.quote)).joined(separator: " ")
        let step = ToolStep(
            tool: "the command",
            arguments: ["/bin/sh", "-c", line],
            reportFile: execution.target,
            reportArtifact: reportName
        )
        let outcome = try await sandbox.run(step.request(for: attempt, in: sandbox))
        var cases: [CaseResult] = []
        var problem: String? = "the command wrote no JUnit XML file at \(execution.target)"
        if let data = try await sandbox.readArtifact(reportName) {
            problem = nil
            do { cases = try JUnitParser.cases(from: data, limits: attempt.limits) } catch {
                problem = "\(execution.target): \(error.description)"
            }
        }
        if outcome.exitCode == 126 || outcome.exitCode == 127, outcome.launchError == nil, !outcome.timedOut,
            cases.isEmpty
        {
            let detail = outcome.stderr.tail.split(separator: "\n").last.map { ": \($0)" } ?? ""
            return RunnerResult(
                verdict: .error,
                outcome: outcome,
                message: "the command could not be run in the sandbox (exit code \(outcome.exitCode!))\(detail)"
            )
        }
        return ToolJudgement.judge(
            outcome,
            tool: "the command",
            program: "the command's program",
            cases: cases,
            reportProblem: problem,
            noTests: "the JUnit XML file \(execution.target) has no test cases",
            timeout: attempt.scenario.timeout
        )
    }
}

extension Runner where Self == JUnitFileRunner {
    /// Any command plus the JUnit XML file it writes.
    public static var junit: JUnitFileRunner { JUnitFileRunner() }
}
