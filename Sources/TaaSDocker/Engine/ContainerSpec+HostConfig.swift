extension ContainerSpec {
    /// The host side of a container: network, limits, mounts and security (Docker's `HostConfig`).
    /// Fields left nil are left out of the request.
    public struct HostConfig: Sendable, Hashable, Codable {
        /// The network: always `none` for sandboxes (`host` and `bridge` give the container a network).
        public var networkMode: String?
        /// Capabilities to drop, such as `["ALL"]`.
        public var capDrop: [String]?
        /// Capabilities to keep after ``capDrop``, such as `["KILL"]`.
        public var capAdd: [String]?
        /// Security options, such as `["no-new-privileges"]`.
        public var securityOpt: [String]?
        /// The most processes the container may have.
        public var pidsLimit: Int64?
        /// The memory limit in bytes.
        public var memory: Int64?
        /// Memory plus swap in bytes; equal to ``memory`` for no swap, -1 for unlimited swap.
        public var memorySwap: Int64?
        /// CPU quota in billionths of a CPU (1_500_000_000 is one and a half CPUs).
        public var nanoCpus: Int64?
        /// Whether the root filesystem is read-only. Archives cannot be copied into such a container,
        /// except into a volume (see ``ContainerSpec/volumes``).
        public var readonlyRootfs: Bool?
        /// tmpfs mounts: path → mount options such as `rw,size=64m`.
        public var tmpfs: [String: String]?
        /// Bind mounts as `host-path:container-path[:ro]`.
        public var binds: [String]?
        /// Whether an init process (tini) runs as PID 1, forwarding signals and reaping zombies.
        public var `init`: Bool?
        /// Whether the engine removes the container when its main process exits.
        public var autoRemove: Bool?

        /// Creates a host configuration.
        ///
        /// - Parameters:
        ///   - networkMode: The network, such as `none`.
        ///   - capDrop: Capabilities to drop.
        ///   - securityOpt: Security options.
        ///   - pidsLimit: The most processes the container may have.
        ///   - memory: The memory limit in bytes.
        ///   - memorySwap: Memory plus swap in bytes.
        ///   - nanoCpus: CPU quota in billionths of a CPU.
        ///   - readonlyRootfs: Whether the root filesystem is read-only.
        ///   - tmpfs: tmpfs mounts: path → options.
        ///   - binds: Bind mounts as `host-path:container-path[:ro]`.
        ///   - init: Whether an init process runs as PID 1.
        ///   - autoRemove: Whether the engine removes the container when it exits.
        ///   - capAdd: Capabilities to keep after `capDrop`.
        public init(
            networkMode: String? = nil,
            capDrop: [String]? = nil,
            securityOpt: [String]? = nil,
            pidsLimit: Int64? = nil,
            memory: Int64? = nil,
            memorySwap: Int64? = nil,
            nanoCpus: Int64? = nil,
            readonlyRootfs: Bool? = nil,
            tmpfs: [String: String]? = nil,
            binds: [String]? = nil,
            init: Bool? = nil,
            autoRemove: Bool? = nil,
            capAdd: [String]? = nil
        ) {
            self.capAdd = capAdd
            self.networkMode = networkMode
            self.capDrop = capDrop
            self.securityOpt = securityOpt
            self.pidsLimit = pidsLimit
            self.memory = memory
            self.memorySwap = memorySwap
            self.nanoCpus = nanoCpus
            self.readonlyRootfs = readonlyRootfs
            self.tmpfs = tmpfs
            self.binds = binds
            self.`init` = `init`
            self.autoRemove = autoRemove
        }

        enum CodingKeys: String, CodingKey {
            case networkMode = "NetworkMode"
            case capDrop = "CapDrop"
            case capAdd = "CapAdd"
            case securityOpt = "SecurityOpt"
            case pidsLimit = "PidsLimit"
            case memory = "Memory"
            case memorySwap = "MemorySwap"
            case nanoCpus = "NanoCpus"
            case readonlyRootfs = "ReadonlyRootfs"
            case tmpfs = "Tmpfs"
            case binds = "Binds"
            case `init` = "Init"
            case autoRemove = "AutoRemove"
        }
    }
}
