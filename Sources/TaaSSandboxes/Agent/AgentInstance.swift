import Foundation
import Synchronization
import TaaSCore

/// A sandbox instance whose steps are run by a `taas-agent` inside it: the shared part of the
/// jail, venv and local sandboxes.
public final class AgentInstance: SandboxInstance {
    public let description: SandboxDescription
    public let workspacePath: String
    public let artifactsPath: String
    private let artifactReader: @Sendable (String) async throws(SandboxError) -> Data?
    let connection: AgentConnection
    private let baseEnvironment: [String: String]
    private let configuration: SandboxConfiguration
    private let usedLabels = Mutex<[String: Int]>([:])

    /// An instance whose artifacts are read from a host folder (the jail, venv and local sandboxes).
    convenience init(
        description: SandboxDescription,
        workspacePath: String,
        artifactsPath: String,
        artifactsOnHost: URL,
        connection: AgentConnection,
        baseEnvironment: [String: String],
        configuration: SandboxConfiguration
    ) {
        self.init(
            description: description,
            workspacePath: workspacePath,
            artifactsPath: artifactsPath,
            connection: connection,
            baseEnvironment: baseEnvironment,
            configuration: configuration
        ) { name throws(SandboxError) in try Self.readArtifact(name, in: artifactsOnHost) }
    }

    /// An instance whose artifacts are fetched by `readArtifact` (a container's, say).
    public init(
        description: SandboxDescription,
        workspacePath: String,
        artifactsPath: String,
        connection: AgentConnection,
        baseEnvironment: [String: String],
        configuration: SandboxConfiguration,
        readArtifact: @escaping @Sendable (String) async throws(SandboxError) -> Data?
    ) {
        self.description = description
        self.workspacePath = workspacePath
        self.artifactsPath = artifactsPath
        self.artifactReader = readArtifact
        self.connection = connection
        self.baseEnvironment = baseEnvironment
        self.configuration = configuration
    }

    /// A file-name-safe, unique version of a step's label.
    private func logLabel(_ label: String) -> String {
        let safe = String(label.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" }.prefix(120))
        let count = usedLabels.withLock { used in
            used[safe, default: 0] += 1
            return used[safe]!
        }
        return count == 1 ? safe : "\(safe).\(count)"
    }

    private func launch(_ step: StepRequest) throws(SandboxError) -> (id: String, capture: OutputCapture) {
        try launch(
            step,
            environment: baseEnvironment.merging(configuration.environment) { $1 }.merging(step.environment) { $1 },
            logDirectory: configuration.logDirectory
        )
    }

    private func launch(
        _ step: StepRequest,
        environment: [String: String],
        logDirectory: URL
    ) throws(SandboxError) -> (id: String, capture: OutputCapture) {
        let capture = try OutputCapture(
            label: logLabel(step.label),
            logDirectory: logDirectory,
            limit: configuration.logLimitBytes,
            tailBytes: configuration.tailBytes
        )
        let id = connection.makeID()
        let directory = step.workingDirectory.map { "\(workspacePath)/\($0)" } ?? workspacePath
        let timeout = DurationText.milliseconds(step.timeout)
        defer { capture.closeWriteEnds() }
        try connection.send(
            .run(
                id: id,
                timeoutMilliseconds: max(1, timeout),
                keepBackground: step.lifetime == .sandbox,
                workingDirectory: directory,
                environment: environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
                arguments: step.arguments
            ),
            passing: capture.writeEnds
        )
        return (id, capture)
    }

    public func run(_ step: StepRequest) async throws(SandboxError) -> StepOutcome {
        try await run(step, launched: launch(step))
    }

    /// Runs one of taas's own steps: the sandbox's base environment only, none of the scope's
    /// variables, and its output logged in `logDirectory`, apart from the scope's logs.
    func runOwnStep(
        label: String,
        arguments: [String],
        timeout: Duration,
        logDirectory: URL
    ) async throws(SandboxError) -> StepOutcome {
        let step = StepRequest(label: label, arguments: arguments, timeout: timeout)
        return try await run(step, launched: launch(step, environment: baseEnvironment, logDirectory: logDirectory))
    }

    private func run(_ step: StepRequest, launched: (id: String, capture: OutputCapture)) async -> StepOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let (id, capture) = launched
        // Cancelling the task that waits stops the step and its whole process tree; the step then
        // ends as `stopped`.
        let connection = self.connection
        let event = await withTaskCancellationHandler {
            await connection.waitForAnswer(id: id)
        } onCancel: {
            try? connection.send(AgentMessage(["KILL", id]))
        }
        let duration = clock.now - start
        if step.lifetime == .step {
            // The agent has killed what the step left behind: the pipes close promptly.
            await capture.waitUntilClosed(limit: .seconds(5))
        } else {
            await capture.waitUntilDrained()
        }
        return outcome(of: event, duration: duration, capture: capture)
    }

    private func outcome(of event: AgentConnection.Event, duration: Duration, capture: OutputCapture) -> StepOutcome {
        let (stdout, stderr) = capture.snapshot()
        switch event {
        case .exited(let exitCode, let signal, let timedOut, let stopped):
            return StepOutcome(
                exitCode: exitCode,
                signal: signal,
                timedOut: timedOut,
                stopped: stopped,
                duration: duration,
                stdout: stdout,
                stderr: stderr
            )
        case .failed(let message):
            return StepOutcome(exitCode: nil, duration: duration, stdout: stdout, stderr: stderr, launchError: message)
        case .probed, .fetched, .copied:
            return StepOutcome(
                exitCode: nil,
                duration: duration,
                stdout: stdout,
                stderr: stderr,
                launchError: "unexpected answer"
            )
        }
    }

    public func start(_ step: StepRequest) async throws(SandboxError) -> any BackgroundStep {
        let (id, capture) = try launch(step)
        return AgentBackgroundStep(id: id, capture: capture, connection: connection, started: ContinuousClock.now) {
            [self] event, duration, capture in
            self.outcome(of: event, duration: duration, capture: capture)
        }
    }

    public func probe(_ probe: NetworkProbe) async throws(SandboxError) -> ProbeResult {
        let id = connection.makeID()
        try connection.send(
            AgentMessage(["PROBE", id, probe.kind.rawValue, probe.host, String(probe.port), probe.path])
        )
        switch await connection.waitForAnswer(id: id) {
        case .probed(let result): return result
        case .failed(let message): throw SandboxError(.broken, message)
        case .exited, .fetched, .copied: throw SandboxError(.broken, "unexpected answer to a probe")
        }
    }

    public func readArtifact(_ name: String) async throws(SandboxError) -> Data? {
        try await artifactReader(name)
    }

    /// The artifact `name` from the artifacts folder on the host, read through ``ConfinedFile``: a
    /// step may have swapped it for a link (to a file only root can read) or a FIFO (which would
    /// block the harness for good), so nothing but a regular file of at most
    /// ``ConfinedFile/defaultLimit`` bytes is read.
    ///
    /// - Returns: The contents, or `nil` when the step wrote no such file.
    /// - Throws: ``SandboxError`` with code ``SandboxError/Code/refusedArtifact`` for anything else.
    static func readArtifact(_ name: String, in folder: URL) throws(SandboxError) -> Data? {
        do throws(ConfinedFileError) {
            return try ConfinedFile.read(name, in: folder)
        } catch {
            // An oversized report is one of the case limits (the most bytes of one report).
            let limitNote = error.code == .tooLarge ? "case limit reached: " : ""
            throw SandboxError(.refusedArtifact, "\(limitNote)the artifact \(error.message)")
        }
    }
}

/// A service started through the agent.
final class AgentBackgroundStep: BackgroundStep {
    private let id: String
    private let capture: OutputCapture
    let connection: AgentConnection
    private let started: ContinuousClock.Instant
    private let makeOutcome: @Sendable (AgentConnection.Event, Duration, OutputCapture) -> StepOutcome

    init(
        id: String,
        capture: OutputCapture,
        connection: AgentConnection,
        started: ContinuousClock.Instant,
        makeOutcome: @escaping @Sendable (AgentConnection.Event, Duration, OutputCapture) -> StepOutcome
    ) {
        self.id = id
        self.capture = capture
        self.connection = connection
        self.started = started
        self.makeOutcome = makeOutcome
    }

    func exitOutcome() async -> StepOutcome? {
        guard let event = connection.peekAnswer(id: id) else { return nil }
        await capture.waitUntilDrained()
        return makeOutcome(event, ContinuousClock.now - started, capture)
    }

    func outputSoFar() async -> String {
        capture.text(maximum: 1 << 20)
    }

    func stop() async -> StepOutcome {
        try? connection.send(AgentMessage(["KILL", id]))
        let event = await connection.waitForAnswer(id: id)
        await capture.waitUntilDrained()
        return makeOutcome(event, ContinuousClock.now - started, capture)
    }
}
