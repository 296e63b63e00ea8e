import Foundation
import TaaSCore

/// A sandbox instance that gives every step, service and attempt the trace context of its own span
/// (`TRACEPARENT`, and `TRACESTATE` when the run has one) and records when each started and ended.
///
/// The span of a step is named by the step's label (see ``TraceContext/spanID(for:)``), so this one
/// wrapper is all the engine does for telemetry: the spans themselves are built from the report and
/// these timings when the run ends.
struct TracedSandboxInstance: SandboxInstance {
    var base: any SandboxInstance
    var trace: TraceContext
    var timings: StepTimings

    var description: SandboxDescription { base.description }
    var workspacePath: String { base.workspacePath }
    var artifactsPath: String { base.artifactsPath }

    func run(_ step: StepRequest) async throws(SandboxError) -> StepOutcome {
        timings.started(step.label)
        defer { timings.ended(step.label) }
        return try await base.run(traced(step))
    }

    func start(_ step: StepRequest) async throws(SandboxError) -> any BackgroundStep {
        timings.started(step.label)
        do {
            return TracedBackgroundStep(base: try await base.start(traced(step)), label: step.label, timings: timings)
        } catch {
            timings.ended(step.label)
            throw error
        }
    }

    func probe(_ probe: NetworkProbe) async throws(SandboxError) -> ProbeResult {
        try await base.probe(probe)
    }

    func readArtifact(_ name: String) async throws(SandboxError) -> Data? {
        try await base.readArtifact(name)
    }

    func exchange(_ exchange: LoopbackExchange) async throws(SandboxError) -> LoopbackExchangeResult {
        try await base.exchange(exchange)
    }

    /// The step with its span's context added to its environment (a variable the step sets itself wins).
    private func traced(_ step: StepRequest) -> StepRequest {
        var step = step
        step.environment.merge(trace.environment(for: step.label)) { own, _ in own }
        return step
    }
}

/// A service whose end is recorded when it is stopped or found ended.
private struct TracedBackgroundStep: BackgroundStep {
    var base: any BackgroundStep
    var label: String
    var timings: StepTimings

    func exitOutcome() async -> StepOutcome? {
        let outcome = await base.exitOutcome()
        if outcome != nil, timings.interval(of: label)?.end == nil { timings.ended(label) }
        return outcome
    }

    func outputSoFar() async -> String { await base.outputSoFar() }

    func stop() async -> StepOutcome {
        let outcome = await base.stop()
        if timings.interval(of: label)?.end == nil { timings.ended(label) }
        return outcome
    }
}
