/// What a sandbox was and how it was hardened, recorded in the report's `sandbox` block.
public struct SandboxDescription: Sendable, Codable, Equatable {
    /// `jail`, `venv`, `docker` or `local`.
    public var kind: String
    /// `true` only for the unsafe local mode, where steps run as plain host processes.
    public var unsafe: Bool
    /// Each isolation setting by name, such as `network: "none (own loopback only)"`.
    public var settings: [String: String]

    public init(kind: String, unsafe: Bool = false, settings: [String: String] = [:]) {
        self.kind = kind
        self.unsafe = unsafe
        self.settings = settings
    }
}
