import TaaSCore

/// Runs a scenario's `command` with `/bin/sh -c`: exit code 0 passes, any other fails.
///
/// Exit codes 126 and 127 (the shell could not find or run the program) are `error`: the sandbox
/// lacks a tool the scope needs, which is not the code under test saying no.
public struct CommandRunner: Runner {
    public init() {}

    public var name: String { "command" }

    public func run(
        _ attempt: RunnerAttempt,
        in sandbox: any SandboxInstance
    ) async throws(SandboxError) -> RunnerResult {
        guard case .command(let command) = attempt.scenario.action else {
            return RunnerResult(
                verdict: .error,
                outcome: StepOutcome(exitCode: nil, duration: .zero),
                message: "the scenario has no command"
            )
        }
        let outcome = try await sandbox.run(
            .shell(
                command,
                label: attempt.label,
                timeout: attempt.scenario.timeout,
                environment: attempt.scenario.environment
            )
        )
        return Self.judge(outcome, timeout: attempt.scenario.timeout)
    }

    /// The verdict of a finished shell command.
    static func judge(_ outcome: StepOutcome, timeout: Duration) -> RunnerResult {
        if let launchError = outcome.launchError {
            return RunnerResult(verdict: .error, outcome: outcome, message: launchError)
        }
        if outcome.timedOut {
            return RunnerResult(verdict: .fail, outcome: outcome, message: outcome.summary(timeout: timeout))
        }
        switch outcome.exitCode {
        case 0:
            return RunnerResult(verdict: .pass, outcome: outcome)
        case 126, 127:
            let detail = outcome.stderr.tail.split(separator: "\n").last.map { ": \($0)" } ?? ""
            return RunnerResult(
                verdict: .error,
                outcome: outcome,
                message: "the command could not be run in the sandbox (exit code \(outcome.exitCode!))\(detail)"
            )
        default:
            return RunnerResult(verdict: .fail, outcome: outcome, message: outcome.summary())
        }
    }
}

extension Runner where Self == CommandRunner {
    /// Shell commands.
    public static var command: CommandRunner { CommandRunner() }
}
