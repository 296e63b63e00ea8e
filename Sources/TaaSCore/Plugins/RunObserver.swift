/// The phases of a run, in order.
public enum RunPhase: String, Sendable, CaseIterable {
    case preparing, setup, services, scenarios
    case stoppingServices = "stopping-services"
    case teardown, reporting
}

/// Something that happened during a run, for progress displays and event streams.
public enum RunEvent: Sendable {
    /// The run began: its id and how many scenarios it has.
    case runStarted(runID: String, scopeID: String, scenarios: Int)
    case phaseStarted(RunPhase)
    /// A setup or teardown step ended.
    case stepFinished(phase: RunPhase, index: Int, result: StepResult)
    case serviceReady(ServiceResult)
    case attemptStarted(scenarioID: String, attempt: Int)
    case attemptFinished(scenarioID: String, attempt: AttemptResult)
    case scenarioFinished(ScenarioResult)
    /// Output of a step as it happens is not streamed; this carries notes such as "reusing a cached virtualenv".
    case note(String)
    /// How far long preparation work is (`venv: 3/7 packages (requests)`): a console shows it in its
    /// status line in place of the previous one; it is not a line of the log.
    case progress(String)
    case runFinished(TaaSReport)
}

/// Receives a run's events as they happen. Called from the run's tasks; must be quick.
public protocol RunObserver: Sendable {
    func handle(_ event: RunEvent)
}

/// An observer that ignores everything.
public struct SilentObserver: RunObserver {
    public init() {}
    public func handle(_ event: RunEvent) {}
}
