import Foundation
import TaaSCore

/// pytest's own verdict rules: the law guard's findings, its closing line against its JUnit file, and
/// its exit codes.
enum PytestRules {
    @Sendable static func verdict(of run: ToolRun) -> RunnerResult? {
        let outcome = run.outcome
        let target = run.execution.target
        let output = outcome.stdout.tail + "\n" + outcome.stderr.tail
        let tampering = outcome.stderr.tail.split(separator: "\n").filter { $0.hasPrefix(PytestLawGuard.marker) }
            .map { $0.dropFirst(PytestLawGuard.marker.count) }
        if !tampering.isEmpty {
            return run.result(.error, "the law was changed while the tests ran: " + tampering.joined(separator: "; "))
        }
        // A JUnit file that contradicts pytest's own closing line was rewritten after pytest wrote it.
        if let summary = PytestSummary.parse(outcome.stdout.tail), let problem = summary.contradiction(with: run.cases)
        {
            return run.result(.error, problem)
        }
        if outcome.exitCode == 127 {
            return run.result(.error, "python3 is not installed in the sandbox, so pytest cannot run")
        }
        if outcome.exitCode == 1, run.cases.isEmpty, output.contains("No module named pytest") {
            return run.result(
                .error,
                "pytest is not installed in the sandbox; add \"pytest\" to environment.dependencies"
            )
        }
        switch outcome.exitCode {
        case 0?, nil:
            return nil  // the shared rules: a pass needs cases; a step killed by a signal fails
        case 1?:
            let failed = run.cases.filter { $0.verdict == .fail || $0.verdict == .error }
            return run.result(
                .fail,
                failed.isEmpty ? "pytest reported failures" : ToolJudgement.failedMessage(failed, qualified: false)
            )
        case 2?:
            return run.result(
                .error,
                "pytest was interrupted, for example by errors while collecting \(target): \(lastLines(output))"
            )
        case 3?:
            return run.result(.error, "pytest had an internal error: \(lastLines(output))")
        case 4?:
            return run.result(.error, "pytest could not run \(target) (usage error): \(lastLines(output))")
        case 5?:
            return run.result(.error, "pytest collected no tests from \(target)")
        case let code?:
            return run.result(.error, "pytest ended with exit code \(code): \(lastLines(output))")
        }
    }

    private static func lastLines(_ text: String) -> String {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.suffix(3)
            .joined(separator: " | ")
    }
}
