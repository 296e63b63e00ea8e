import TaaSCore

extension RunnerResult {
    /// A test runner was given a scenario without an `execution` (the registry never does this):
    /// `error`, with nothing run.
    static var noExecution: RunnerResult {
        RunnerResult(verdict: .error, outcome: StepOutcome(exitCode: nil, duration: .zero), message: "no execution")
    }
}
