import TaaSCore

/// Resource limits of a sandbox container, from the scope's `environment.limits` or the command line.
public struct ContainerLimits: Sendable, Equatable {
    /// Memory in MiB (swap is not added on top).
    public var memoryMB: Int
    /// The most processes and threads at once.
    public var pids: Int
    /// CPUs, fractional allowed.
    public var cpus: Double

    /// The documented defaults: 1024 MiB, 256 processes, 2 CPUs.
    public static let defaults = ContainerLimits(memoryMB: 1024, pids: 256, cpus: 2)

    public init(memoryMB: Int, pids: Int, cpus: Double) {
        self.memoryMB = memoryMB
        self.pids = pids
        self.cpus = cpus
    }

    /// The defaults overridden by whatever the scope sets.
    public init(scope: ResourceLimits?) {
        self = .defaults
        if let memory = scope?.memoryMB { memoryMB = memory }
        if let pids = scope?.pids { self.pids = pids }
        if let cpus = scope?.cpus { self.cpus = cpus }
    }
}
