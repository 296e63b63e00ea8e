/// What `GET /images/{name}/json` says about a local image (the parts this project uses).
public struct ImageInfo: Sendable, Hashable, Decodable {
    /// The image ID, such as `sha256:4f5c…`.
    public var id: String
    /// The names that point at this image, such as `["python:3.11-slim"]`.
    public var repoTags: [String]
    /// The image's labels.
    public var labels: [String: String]
    /// The image's default environment, as `NAME=value` strings.
    public var env: [String]
    /// The image's default command, if it has one.
    public var cmd: [String]?

    /// Creates an image record.
    public init(
        id: String,
        repoTags: [String] = [],
        labels: [String: String] = [:],
        env: [String] = [],
        cmd: [String]? = nil
    ) {
        self.id = id
        self.repoTags = repoTags
        self.labels = labels
        self.env = env
        self.cmd = cmd
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case repoTags = "RepoTags"
        case config = "Config"
    }

    enum ConfigKeys: String, CodingKey {
        case labels = "Labels"
        case env = "Env"
        case cmd = "Cmd"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(String.self, forKey: .id)
        self.repoTags = try container.decodeIfPresent([String].self, forKey: .repoTags) ?? []
        // An imported image without `changes` has `"Config": null`, and empty fields are `null` too.
        if container.contains(.config), try !container.decodeNil(forKey: .config) {
            let config = try container.nestedContainer(keyedBy: ConfigKeys.self, forKey: .config)
            self.labels = try config.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
            self.env = try config.decodeIfPresent([String].self, forKey: .env) ?? []
            self.cmd = try config.decodeIfPresent([String].self, forKey: .cmd)
        } else {
            self.labels = [:]
            self.env = []
            self.cmd = nil
        }
    }
}
