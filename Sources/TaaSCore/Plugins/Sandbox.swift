import Foundation

/// A place where a run's steps execute, isolated from the host.
///
/// One instance serves a whole run (setup → services → scenarios → teardown) and is torn down when
/// `withInstance`'s body returns or throws. Adding a sandbox means adding a type that conforms to
/// this protocol and registering it in a ``SandboxRegistry``; the engine does not change.
public protocol Sandbox: Sendable {
    /// The name recorded in the report's `sandbox.kind` and chosen with `--sandbox`, such as `jail`.
    var kind: String { get }

    /// Whether the sandbox installs the scope's `environment.dependencies` (a sandbox that does not
    /// runs the scope anyway, and the run notes that they were not installed).
    var installsDependencies: Bool { get }

    /// Whether steps are isolated from the host. A sandbox that does not isolate is used only with
    /// the user's explicit consent (see ``SandboxRegistry/admit(_:allowUnsafe:)``).
    var isolates: Bool { get }

    /// What the steps of a run with `configuration` would run on, as name/value parts of the verdict
    /// cache's key: an image id and its limits, or the host's interpreter and the `programs` the
    /// scope's runners call. Two runs whose parts are equal run on the same environment.
    /// - Throws: ``SandboxError`` when the environment cannot be identified yet (an image not present).
    func environmentIdentity(
        _ configuration: SandboxConfiguration,
        programs: [ProgramLookup]
    ) async throws(SandboxError) -> [String: String]

    /// Starts an instance, runs `body` with it, and tears it down whatever happens.
    /// - Throws: ``SandboxError`` when the instance cannot be started; whatever `body` throws.
    func withInstance<Result: Sendable>(
        _ configuration: SandboxConfiguration,
        _ body: (any SandboxInstance) async throws -> Result
    ) async throws -> Result
}

/// A running sandbox.
public protocol SandboxInstance: Sendable {
    /// The settings recorded in the report's `sandbox` block.
    var description: SandboxDescription { get }
    /// The workspace copy's path as steps see it.
    var workspacePath: String { get }
    /// A writable folder, as steps see it, whose files the harness can read back with ``readArtifact(_:)``.
    var artifactsPath: String { get }

    /// Runs a step to its end (or its timeout) and returns how it ended; never throws for a failing step.
    func run(_ step: StepRequest) async throws(SandboxError) -> StepOutcome

    /// Starts a step in the background (a service); it runs until stopped or until the sandbox ends.
    func start(_ step: StepRequest) async throws(SandboxError) -> any BackgroundStep

    /// Checks once, from inside the sandbox's network, whether a service answers.
    func probe(_ probe: NetworkProbe) async throws(SandboxError) -> ProbeResult

    /// The contents of a file that a step wrote into the artifacts folder, or `nil` if there is none.
    func readArtifact(_ name: String) async throws(SandboxError) -> Data?

    /// Sends raw bytes to a server on the sandbox's loopback, from inside, and returns its raw answer.
    func exchange(_ exchange: LoopbackExchange) async throws(SandboxError) -> LoopbackExchangeResult
}

/// A step running in the background.
public protocol BackgroundStep: Sendable {
    /// How the step ended, if it already has; `nil` while it runs.
    func exitOutcome() async -> StepOutcome?
    /// The output so far (up to a bounded size), stdout then stderr.
    func outputSoFar() async -> String
    /// Stops the step and everything it started; returns how it ended.
    func stop() async -> StepOutcome
}

/// A network check made from inside a sandbox.
public struct NetworkProbe: Sendable, Equatable {
    public enum Kind: String, Sendable { case tcp, http }
    public var kind: Kind
    public var host: String
    public var port: Int
    /// The HTTP path, with its query.
    public var path: String

    public init(kind: Kind, host: String, port: Int, path: String = "/") {
        self.kind = kind
        self.host = host
        self.port = port
        self.path = path
    }
}

/// The answer of one ``NetworkProbe``.
public struct ProbeResult: Sendable, Equatable {
    public var ok: Bool
    /// What was seen: "HTTP 200", "connect to 127.0.0.1:3000: Connection refused".
    public var detail: String

    public init(ok: Bool, detail: String) {
        self.ok = ok
        self.detail = detail
    }
}

/// What a sandbox needs to start an instance.
public struct SandboxConfiguration: Sendable {
    /// The run this instance serves.
    public var runID: String
    /// The folder to copy into the sandbox; the user's folder itself is never changed.
    public var workspace: URL
    /// Where step output files go (`OUT/logs`).
    public var logDirectory: URL
    /// Variables for every step, on top of the sandbox's own minimal environment.
    public var environment: [String: String]
    /// Python requirement specifiers, for sandboxes that install them.
    public var dependencies: [String]
    /// The container image, for sandboxes that use one.
    public var image: String?
    /// Paths (relative to the workspace) not copied into the sandbox, such as the output folder.
    public var excludedPaths: [String]
    /// The most bytes of one stream of one step kept in its log file.
    public var logLimitBytes: Int
    /// How many bytes of each stream's end the report keeps.
    public var tailBytes: Int
    /// Where caches (virtualenvs, the agent binary) live.
    public var cacheDirectory: URL
    /// The scope's `environment.limits` with the caller's overrides on top; each sandbox applies
    /// them in its own way (`nil`: its defaults).
    public var limits: ResourceLimits?
    /// Never fetch anything from a registry (a container image, say).
    public var offline: Bool
    /// Receives the sandbox's notes ("pulling python:3.11-slim") as ``RunEvent/note(_:)`` events, so
    /// that they reach the run's console and event stream rather than the process's stderr.
    public var observer: any RunObserver
    /// The run's clock: the sandbox records its own phases in it (`workspace_copy`, `agent_start`, …).
    public var clock: PhaseClock

    public init(
        runID: String,
        workspace: URL,
        logDirectory: URL,
        environment: [String: String] = [:],
        dependencies: [String] = [],
        image: String? = nil,
        excludedPaths: [String] = [],
        logLimitBytes: Int = 32 * 1024 * 1024,
        tailBytes: Int = 4096,
        cacheDirectory: URL,
        limits: ResourceLimits? = nil,
        offline: Bool = false,
        observer: any RunObserver = SilentObserver(),
        clock: PhaseClock = PhaseClock()
    ) {
        self.runID = runID
        self.workspace = workspace
        self.logDirectory = logDirectory
        self.environment = environment
        self.dependencies = dependencies
        self.image = image
        self.excludedPaths = excludedPaths
        self.logLimitBytes = logLimitBytes
        self.tailBytes = tailBytes
        self.cacheDirectory = cacheDirectory
        self.limits = limits
        self.offline = offline
        self.observer = observer
        self.clock = clock
    }
}

/// A program a step may call, looked up on a `PATH` (`go` on the scenario's `PATH`): sandboxes that
/// run the host's programs put the file found into their ``Sandbox/environmentIdentity(_:programs:)``.
public struct ProgramLookup: Sendable, Hashable {
    /// The program's name, such as `node`.
    public var name: String
    /// The `PATH` it is looked up on, colon-separated.
    public var searchPath: String

    public init(name: String, searchPath: String) {
        self.name = name
        self.searchPath = searchPath
    }
}

/// One request/response exchange over TCP with a server on the sandbox's loopback, made from inside
/// the sandbox: the harness gives the raw request bytes and gets the raw answer back.
public struct LoopbackExchange: Sendable {
    /// `127.0.0.1`, `::1` or `localhost`.
    public var host: String
    public var port: Int
    /// The bytes to send (an HTTP/1.1 request with `Connection: close`).
    public var request: [UInt8]
    /// The whole exchange, connect to the peer's close, is given up after this long.
    public var timeout: Duration
    /// At most this many bytes of the answer are kept.
    public var maximumResponseBytes: Int
    /// Tells from the answer so far whether it is complete, so that a server that keeps its
    /// connection open does not hold the exchange until its timeout; `nil` waits for the close.
    public var isComplete: (@Sendable ([UInt8]) -> Bool)?

    public init(
        host: String,
        port: Int,
        request: [UInt8],
        timeout: Duration,
        maximumResponseBytes: Int = 8 << 20,
        isComplete: (@Sendable ([UInt8]) -> Bool)? = nil
    ) {
        self.host = host
        self.port = port
        self.request = request
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
        self.isComplete = isComplete
    }
}

/// What came back from a ``LoopbackExchange``.
public struct LoopbackExchangeResult: Sendable, Equatable {
    /// The raw answer (up to the limit).
    public var response: [UInt8]
    /// From the connect to the peer's close, measured inside the sandbox.
    public var elapsed: Duration
    /// `true` when the answer was longer than the limit and was cut.
    public var truncated: Bool
    /// Why there is no complete answer (connection refused, timed out), or `nil`.
    public var failure: String?

    public init(response: [UInt8], elapsed: Duration, truncated: Bool, failure: String?) {
        self.response = response
        self.elapsed = elapsed
        self.truncated = truncated
        self.failure = failure
    }
}

extension SandboxInstance {
    /// Sandboxes without an in-sandbox agent cannot make requests from inside.
    public func exchange(_ exchange: LoopbackExchange) async throws(SandboxError) -> LoopbackExchangeResult {
        throw SandboxError(.unavailable, "this sandbox cannot make HTTP requests from inside")
    }
}
