/// What `POST /containers/create` is asked to create: Docker's container configuration, in its JSON
/// shape (PascalCase keys). Fields left nil are left out, so the engine or the image decides.
public struct ContainerSpec: Sendable, Hashable, Codable {
    /// The image name or ID.
    public var image: String
    /// The command, replacing the image's `CMD`.
    public var cmd: [String]?
    /// The entrypoint, replacing the image's `ENTRYPOINT`.
    public var entrypoint: [String]?
    /// Environment variables as `NAME=value`, added to the image's.
    public var env: [String]?
    /// The user (`name`, `uid` or `uid:gid`) the main process runs as.
    public var user: String?
    /// The working directory of the main process.
    public var workingDir: String?
    /// Labels on the container (used to find and clean up a run's containers).
    public var labels: [String: String]?
    /// Paths that get an anonymous volume. Archives can be copied into these before the container starts,
    /// even when the root filesystem is read-only.
    public var volumes: [String]?
    /// Whether the container has no network at all.
    public var networkDisabled: Bool?
    /// Resource limits, mounts and security settings.
    public var hostConfig: HostConfig?

    /// Creates a container specification.
    ///
    /// - Parameters:
    ///   - image: The image name or ID.
    ///   - cmd: The command, replacing the image's.
    ///   - entrypoint: The entrypoint, replacing the image's.
    ///   - env: Environment variables as `NAME=value`.
    ///   - user: The user the main process runs as.
    ///   - workingDir: The working directory of the main process.
    ///   - labels: Labels on the container.
    ///   - volumes: Paths that get an anonymous volume.
    ///   - networkDisabled: Whether the container has no network at all.
    ///   - hostConfig: Resource limits, mounts and security settings.
    public init(
        image: String,
        cmd: [String]? = nil,
        entrypoint: [String]? = nil,
        env: [String]? = nil,
        user: String? = nil,
        workingDir: String? = nil,
        labels: [String: String]? = nil,
        volumes: [String]? = nil,
        networkDisabled: Bool? = nil,
        hostConfig: HostConfig? = nil
    ) {
        self.image = image
        self.cmd = cmd
        self.entrypoint = entrypoint
        self.env = env
        self.user = user
        self.workingDir = workingDir
        self.labels = labels
        self.volumes = volumes
        self.networkDisabled = networkDisabled
        self.hostConfig = hostConfig
    }

    enum CodingKeys: String, CodingKey {
        case image = "Image"
        case cmd = "Cmd"
        case entrypoint = "Entrypoint"
        case env = "Env"
        case user = "User"
        case workingDir = "WorkingDir"
        case labels = "Labels"
        case volumes = "Volumes"
        case networkDisabled = "NetworkDisabled"
        case hostConfig = "HostConfig"
    }

    /// Docker writes a volume set as an object whose keys are the paths and whose values are `{}`.
    private struct EmptyObject: Codable {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.image = try container.decode(String.self, forKey: .image)
        self.cmd = try container.decodeIfPresent([String].self, forKey: .cmd)
        self.entrypoint = try container.decodeIfPresent([String].self, forKey: .entrypoint)
        self.env = try container.decodeIfPresent([String].self, forKey: .env)
        self.user = try container.decodeIfPresent(String.self, forKey: .user)
        self.workingDir = try container.decodeIfPresent(String.self, forKey: .workingDir)
        self.labels = try container.decodeIfPresent([String: String].self, forKey: .labels)
        self.volumes = try container.decodeIfPresent([String: EmptyObject].self, forKey: .volumes)?.keys.sorted()
        self.networkDisabled = try container.decodeIfPresent(Bool.self, forKey: .networkDisabled)
        self.hostConfig = try container.decodeIfPresent(HostConfig.self, forKey: .hostConfig)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(image, forKey: .image)
        try container.encodeIfPresent(cmd, forKey: .cmd)
        try container.encodeIfPresent(entrypoint, forKey: .entrypoint)
        try container.encodeIfPresent(env, forKey: .env)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encodeIfPresent(workingDir, forKey: .workingDir)
        try container.encodeIfPresent(labels, forKey: .labels)
        if let volumes {
            let set = Dictionary(volumes.map { ($0, EmptyObject()) }, uniquingKeysWith: { first, _ in first })
            try container.encode(set, forKey: .volumes)
        }
        try container.encodeIfPresent(networkDisabled, forKey: .networkDisabled)
        try container.encodeIfPresent(hostConfig, forKey: .hostConfig)
    }
}
