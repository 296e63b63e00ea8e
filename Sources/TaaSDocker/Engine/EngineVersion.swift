/// What `GET /version` says about the engine.
public struct EngineVersion: Sendable, Hashable, Codable {
    /// The engine's release, such as `20.10.24+dfsg1`.
    public var version: String
    /// The newest API version the engine speaks, such as `1.41`.
    public var apiVersion: String
    /// The oldest API version the engine speaks, such as `1.12`, if it says.
    public var minAPIVersion: String?
    /// The operating system the engine runs containers for, such as `linux`.
    public var os: String
    /// The CPU architecture, such as `amd64`.
    public var arch: String
    /// The host's kernel release, if the engine says.
    public var kernelVersion: String?

    /// Creates a version record.
    public init(
        version: String,
        apiVersion: String,
        minAPIVersion: String? = nil,
        os: String,
        arch: String,
        kernelVersion: String? = nil
    ) {
        self.version = version
        self.apiVersion = apiVersion
        self.minAPIVersion = minAPIVersion
        self.os = os
        self.arch = arch
        self.kernelVersion = kernelVersion
    }

    enum CodingKeys: String, CodingKey {
        case version = "Version"
        case apiVersion = "ApiVersion"
        case minAPIVersion = "MinAPIVersion"
        case os = "Os"
        case arch = "Arch"
        case kernelVersion = "KernelVersion"
    }
}
