import TaaSCore

/// A runner for tests: runs `NAME TARGET ARGS…` in the sandbox (a ``FakeSandbox`` answers it with
/// its script) and passes when it exits 0; reports `cases` on every attempt.
///
/// Register it with ``RunnerRegistry/adding(_:)``; scopes name it in `execution.runner` once the
/// contract is read with that registry's names.
public struct FakeRunner: Runner {
    public var name: String
    /// The test cases every attempt reports.
    public var cases: [CaseResult]

    public init(name: String = "fake-tool", cases: [CaseResult] = []) {
        self.name = name
        self.cases = cases
    }

    /// The command a scenario's execution becomes: `NAME TARGET ARGS…`.
    public static func command(name: String, target: String, arguments: [String] = []) -> String {
        ([name, target] + arguments).joined(separator: " ")
    }

    public func run(
        _ attempt: RunnerAttempt,
        in sandbox: any SandboxInstance
    ) async throws(SandboxError) -> RunnerResult {
        guard let execution = attempt.execution else {
            return RunnerResult(
                verdict: .error,
                outcome: StepOutcome(exitCode: nil, duration: .zero),
                message: "the scenario has no execution"
            )
        }
        let outcome = try await sandbox.run(
            StepRequest(
                label: attempt.label,
                arguments: [name, execution.target] + execution.arguments,
                workingDirectory: execution.workingDirectory,
                environment: attempt.scenario.environment,
                timeout: attempt.scenario.timeout
            )
        )
        let verdict: Verdict = outcome.launchError != nil ? .error : outcome.succeeded ? .pass : .fail
        return RunnerResult(
            verdict: verdict,
            outcome: outcome,
            cases: cases,
            message: verdict == .pass ? nil : outcome.summary()
        )
    }
}
