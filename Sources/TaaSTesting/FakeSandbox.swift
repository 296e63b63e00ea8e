import Foundation
import TaaSCore

/// An in-memory sandbox for tests: runs nothing, answers each command with a scripted outcome,
/// and records in its ``journal`` every step it was asked to run.
///
/// Register it in a ``SandboxRegistry`` (or pass it as the run's sandbox) to run a scope through
/// the real engine with no processes:
///
/// ```swift
/// let sandbox = FakeSandbox(outcomes: ["pytest -q": [.exit(1), .exit(0)]])
/// var options = RunOptions(workspace: folder, outputDirectory: out)
/// options.sandboxes = .standard.adding(sandbox)
/// options.sandboxKind = sandbox.kind
/// ```
public struct FakeSandbox: Sandbox {
    public var kind: String
    public var installsDependencies: Bool
    public var isolates: Bool
    /// Outcomes by command (a shell step's script; otherwise its arguments joined by spaces): the
    /// n-th run of a command ends as its n-th outcome, and the last one repeats.
    public var outcomes: [String: [FakeOutcome]]
    /// How every other command ends.
    public var defaultOutcome: FakeOutcome
    /// The files steps "wrote" into the artifacts folder, by name.
    public var artifacts: [String: Data]
    /// The answer to every readiness probe of a service.
    public var probeResult: ProbeResult
    /// The environment identity given to the verdict cache.
    public var identity: [String: String]
    /// When set, the instance cannot be started.
    public var startError: SandboxError?
    /// What the sandbox was asked to do; shared by every copy of this value.
    public let journal: FakeSandboxJournal

    public init(
        kind: String = "fake",
        outcomes: [String: [FakeOutcome]] = [:],
        defaultOutcome: FakeOutcome = .exit(0),
        artifacts: [String: Data] = [:],
        probeResult: ProbeResult = ProbeResult(ok: true, detail: "fake: ready"),
        installsDependencies: Bool = false,
        isolates: Bool = true,
        identity: [String: String] = ["fake": "1"],
        startError: SandboxError? = nil,
        journal: FakeSandboxJournal = FakeSandboxJournal()
    ) {
        self.kind = kind
        self.outcomes = outcomes
        self.defaultOutcome = defaultOutcome
        self.artifacts = artifacts
        self.probeResult = probeResult
        self.installsDependencies = installsDependencies
        self.isolates = isolates
        self.identity = identity
        self.startError = startError
        self.journal = journal
    }

    public func environmentIdentity(
        _ configuration: SandboxConfiguration,
        programs: [ProgramLookup]
    ) async throws(SandboxError) -> [String: String] {
        identity
    }

    public func withInstance<Result: Sendable>(
        _ configuration: SandboxConfiguration,
        _ body: (any SandboxInstance) async throws -> Result
    ) async throws -> Result {
        if let startError { throw startError }
        journal.record(.started, configuration.runID)
        defer { journal.record(.ended, configuration.runID) }
        return try await body(FakeSandboxInstance(sandbox: self))
    }

    /// The outcome of the `earlier + 1`-th run of `command`.
    func outcome(of command: String, earlier: Int) -> FakeOutcome {
        guard let script = outcomes[command], let last = script.last else { return defaultOutcome }
        return earlier < script.count ? script[earlier] : last
    }

    /// The key of a step in ``outcomes``.
    static func command(of step: StepRequest) -> String {
        if step.arguments.count >= 3, step.arguments[0] == "/bin/sh", step.arguments[1] == "-c" {
            return step.arguments[2]
        }
        return step.arguments.joined(separator: " ")
    }
}

extension Sandbox where Self == FakeSandbox {
    /// An in-memory sandbox in which every command exits 0.
    public static var fake: FakeSandbox { FakeSandbox() }
}
