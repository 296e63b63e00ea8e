/// The verification contract: what must be verified, in which environment, with which lifecycle.
///
/// A `TestScope` is only ever made by ``TestScope/load(from:)`` or ``ScopeReader``, which validate
/// the whole document first, so every value here is already known to be valid.
public struct TestScope: Sendable, Equatable {
    /// The scope's identifier, copied into the report.
    public var id: String
    /// What the scope verifies, in words.
    public var description: String?
    /// Where the scope runs.
    public var environment: Environment
    /// Commands run before and after the scenarios.
    public var lifecycle: Lifecycle
    /// Background processes that scenarios talk to.
    public var services: [Service]
    /// What is verified, in order.
    public var scenarios: [Scenario]
    /// Which workspace files belong to the law (`taas lock`) and which never change a verdict (`--cache`).
    public var integrity: Integrity
    /// `sha256:` of the canonical form of the document the scope was read from.
    public var fingerprint: String

    public init(
        id: String,
        description: String? = nil,
        environment: Environment = Environment(),
        lifecycle: Lifecycle = Lifecycle(),
        services: [Service] = [],
        scenarios: [Scenario],
        integrity: Integrity = Integrity(),
        fingerprint: String = ""
    ) {
        self.integrity = integrity
        self.id = id
        self.description = description
        self.environment = environment
        self.lifecycle = lifecycle
        self.services = services
        self.scenarios = scenarios
        self.fingerprint = fingerprint
    }
}

/// The environment a scope asks for.
public struct Environment: Sendable, Equatable {
    /// The kind of environment; the sandbox that provides it is chosen from this unless overridden.
    public enum Kind: String, Sendable, CaseIterable {
        case docker, venv, jail, local
    }

    public var type: Kind
    /// The container image, for `docker`.
    public var image: String?
    /// Python requirement specifiers installed into the environment (venv, docker).
    public var dependencies: [String]
    /// Environment variables for every step; nothing else of the host's environment is inherited.
    public var variables: [String: String]
    /// Resource limits (a container's cgroup limits, a jail's rlimits); `nil` keeps each sandbox's defaults.
    public var limits: ResourceLimits?

    public init(
        type: Kind = .jail,
        image: String? = nil,
        dependencies: [String] = [],
        variables: [String: String] = [:],
        limits: ResourceLimits? = nil
    ) {
        self.type = type
        self.image = image
        self.dependencies = dependencies
        self.variables = variables
        self.limits = limits
    }
}

/// Resource limits a scope asks for (`environment.limits`); each is optional.
public struct ResourceLimits: Sendable, Equatable {
    /// Memory in MiB.
    public var memoryMB: Int?
    /// The most processes at once.
    public var pids: Int?
    /// CPUs, fractional allowed.
    public var cpus: Double?

    public init(memoryMB: Int? = nil, pids: Int? = nil, cpus: Double? = nil) {
        self.memoryMB = memoryMB
        self.pids = pids
        self.cpus = cpus
    }
}

/// Setup and teardown commands.
public struct Lifecycle: Sendable, Equatable {
    public var setup: [LifecycleStep]
    public var teardown: [LifecycleStep]

    public init(setup: [LifecycleStep] = [], teardown: [LifecycleStep] = []) {
        self.setup = setup
        self.teardown = teardown
    }
}

/// One shell command of the lifecycle.
public struct LifecycleStep: Sendable, Equatable {
    /// The default limit on a lifecycle step's run time.
    public static let defaultTimeout: Duration = .seconds(300)

    public var command: String
    public var timeout: Duration

    public init(command: String, timeout: Duration = LifecycleStep.defaultTimeout) {
        self.command = command
        self.timeout = timeout
    }
}

/// A background process started after setup and stopped before teardown.
public struct Service: Sendable, Equatable {
    public var name: String
    public var command: String
    public var readiness: Readiness?

    public init(name: String, command: String, readiness: Readiness? = nil) {
        self.name = name
        self.command = command
        self.readiness = readiness
    }
}

/// How to tell that a service is ready.
public struct Readiness: Sendable, Equatable {
    /// The default limit on waiting for a service.
    public static let defaultTimeout: Duration = .seconds(30)

    public enum Probe: Sendable, Equatable {
        /// An HTTP GET from inside the sandbox that answers with a 2xx or 3xx status.
        case http(url: String)
        /// A TCP connection to this port on the sandbox's loopback.
        case tcp(port: Int)
        /// A regular expression that matches a line of the service's output.
        case log(pattern: String)
    }

    public var probe: Probe
    public var timeout: Duration

    public init(probe: Probe, timeout: Duration = Readiness.defaultTimeout) {
        self.probe = probe
        self.timeout = timeout
    }
}

/// One thing the scope verifies.
public struct Scenario: Sendable, Equatable, Identifiable {
    /// The default limit on one attempt's run time.
    public static let defaultTimeout: Duration = .seconds(600)

    public var id: String
    /// A free label such as `unit` or `integration`.
    public var type: String
    public var description: String?
    /// What runs.
    public var action: Action
    public var retryPolicy: RetryPolicy
    public var timeout: Duration
    /// Variables added to this scenario's environment (`env`), over the scope's `environment.env`.
    public var environment: [String: String]

    /// A scenario runs a test runner, a shell command, or HTTP requests made from inside the sandbox.
    public enum Action: Sendable, Equatable {
        case execution(Execution)
        case command(String)
        /// HTTP requests in order; values captured from one answer are used by the later requests.
        case http([HTTPCheck])

        /// The name of the runner that runs this action: `command`, `http`, or the execution's runner.
        public var runnerName: String {
            switch self {
            case .command: "command"
            case .http: "http"
            case .execution(let execution): execution.runner
            }
        }

        /// The runner names of the actions that are not an `execution` (`command`, `http`): an
        /// execution cannot name them.
        public static let reservedRunnerNames = ["command", "http"]
    }

    public init(
        id: String,
        type: String = "unit",
        description: String? = nil,
        action: Action,
        retryPolicy: RetryPolicy = RetryPolicy(),
        timeout: Duration = Scenario.defaultTimeout,
        environment: [String: String] = [:]
    ) {
        self.id = id
        self.type = type
        self.description = description
        self.action = action
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        self.environment = environment
    }
}

/// A test runner and what it runs.
public struct Execution: Sendable, Equatable {
    /// The runner's name, such as `pytest`.
    public var runner: String
    /// What the runner runs (or, for `junit`, the report it reads): a path relative to the working directory.
    public var target: String
    /// Extra arguments for the runner's tool (`args`), appended after taas's own.
    public var arguments: [String]
    /// The working directory relative to the workspace (`cwd`); `nil` for the workspace itself.
    public var workingDirectory: String?
    /// The shell command that writes the JUnit XML report (`command`, the `junit` runner only).
    public var command: String?

    public init(
        runner: String,
        target: String,
        arguments: [String] = [],
        workingDirectory: String? = nil,
        command: String? = nil
    ) {
        self.runner = runner
        self.target = target
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.command = command
    }
}
