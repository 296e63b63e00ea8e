import Foundation
import TaaSCore

extension ToolDescription {
    /// Runs any shell command (`execution.command`) and reads the test cases from the JUnit XML file it
    /// writes (`execution.target`, relative to `execution.cwd`).
    ///
    /// A stale file from the workspace is removed before the command runs, so only what this attempt
    /// wrote counts. The command's exit code 0 with no report, or with a report without test cases, is
    /// `error`; 126 and 127 (the program could not be run) are `error` too.
    public static let junit = ToolDescription(
        name: "junit",
        tool: "the command",
        program: "the command's program",
        step: { execution, files in
            guard let command = execution.command else {
                return .failure(ToolMisuse("the junit runner needs execution.command"))
            }
            let line = ([command] + execution.arguments.map(ShellQuoting.quote)).joined(separator: " ")
            return .success(
                ToolStep(
                    tool: "the command",
                    arguments: ["/bin/sh", "-c", line],
                    reportFile: execution.target,
                    reportArtifact: files.name("junit.xml")
                )
            )
        },
        results: .junit(
            files: ["junit.xml"],
            missing: { "the command wrote no JUnit XML file at \($0.target)" },
            problemPrefix: { $0.target }
        ),
        noTests: { "the JUnit XML file \($0.target) has no test cases" },
        ownRules: { run in
            let outcome = run.outcome
            guard outcome.exitCode == 126 || outcome.exitCode == 127, run.cases.isEmpty else { return nil }
            let detail = outcome.stderr.tail.split(separator: "\n").last.map { ": \($0)" } ?? ""
            return RunnerResult(
                verdict: .error,
                outcome: outcome,
                message: "the command could not be run in the sandbox (exit code \(outcome.exitCode ?? 0))\(detail)"
            )
        }
    )
}

extension Runner where Self == ToolRunner {
    /// Any command plus the JUnit XML file it writes.
    public static var junit: ToolRunner { ToolRunner(.junit) }
}
