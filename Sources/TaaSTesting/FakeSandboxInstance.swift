import Foundation
import TaaSCore

/// A running ``FakeSandbox``.
struct FakeSandboxInstance: SandboxInstance {
    let sandbox: FakeSandbox

    var description: SandboxDescription {
        SandboxDescription(kind: sandbox.kind, settings: ["isolation": "none: an in-memory fake for tests"])
    }
    var workspacePath: String { "/workspace" }
    var artifactsPath: String { "/artifacts" }

    func run(_ step: StepRequest) async throws(SandboxError) -> StepOutcome {
        let command = FakeSandbox.command(of: step)
        let earlier = sandbox.journal.recordRun(step.label, command: command)
        return sandbox.outcome(of: command, earlier: earlier).stepOutcome()
    }

    func start(_ step: StepRequest) async throws(SandboxError) -> any BackgroundStep {
        let command = FakeSandbox.command(of: step)
        sandbox.journal.record(.start, step.label, command: command)
        return FakeBackgroundStep(label: step.label, command: command, journal: sandbox.journal)
    }

    func probe(_ probe: NetworkProbe) async throws(SandboxError) -> ProbeResult {
        sandbox.journal.record(.probe, "\(probe.kind.rawValue)://\(probe.host):\(probe.port)\(probe.path)")
        return sandbox.probeResult
    }

    func readArtifact(_ name: String) async throws(SandboxError) -> Data? {
        sandbox.journal.record(.readArtifact, name)
        return sandbox.artifacts[name]
    }
}

/// A service in a ``FakeSandbox``: runs until it is stopped.
struct FakeBackgroundStep: BackgroundStep {
    let label: String
    let command: String
    let journal: FakeSandboxJournal

    func exitOutcome() async -> StepOutcome? { nil }

    func outputSoFar() async -> String { "" }

    func stop() async -> StepOutcome {
        journal.record(.stop, label, command: command)
        return FakeOutcome(exitCode: nil).stepOutcome(stopped: true)
    }
}
