import TaaSCore

/// Collects a run's results as they happen, so that whatever happened is reported even when the
/// run is interrupted or the sandbox breaks half-way.
actor RunRecorder {
    var sandbox: SandboxDescription?
    var setup: [StepResult] = []
    var teardown: [StepResult] = []
    var services: [ServiceResult] = []
    var scenarios: [String: ScenarioResult] = [:]
    var errors: [RunError] = []
    var runningServices: [(name: String, command: String, step: any BackgroundStep, readiness: ServiceResult)] = []

    func setSandbox(_ description: SandboxDescription) { sandbox = description }
    func addSetup(_ result: StepResult) { setup.append(result) }
    func addTeardown(_ result: StepResult) { teardown.append(result) }
    func addError(phase: RunPhase, _ message: String) {
        errors.append(RunError(phase: phase.rawValue, message: message))
    }
    func addError(phase: String, _ message: String) { errors.append(RunError(phase: phase, message: message)) }
    func addScenario(_ result: ScenarioResult) { scenarios[result.id] = result }
    func addRunningService(name: String, command: String, step: any BackgroundStep, readiness: ServiceResult) {
        runningServices.append((name, command, step, readiness))
    }
    func addService(_ result: ServiceResult) { services.append(result) }

    /// Takes the services still running, newest first, for stopping.
    func takeRunningServices() -> [(name: String, command: String, step: any BackgroundStep, readiness: ServiceResult)]
    {
        defer { runningServices = [] }
        return runningServices.reversed()
    }
}
