/// One container in the answer of `GET /containers/json`.
public struct ContainerSummary: Sendable, Hashable, Decodable {
    /// The container ID.
    public var id: String
    /// The container's names, without Docker's leading `/`.
    public var names: [String]
    /// The image the container was created from, as given at creation.
    public var image: String
    /// The container's labels.
    public var labels: [String: String]
    /// Docker's state word: `created`, `running`, `exited`, …
    public var state: String

    /// Creates a summary.
    public init(id: String, names: [String] = [], image: String = "", labels: [String: String] = [:], state: String) {
        self.id = id
        self.names = names
        self.image = image
        self.labels = labels
        self.state = state
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case names = "Names"
        case image = "Image"
        case labels = "Labels"
        case state = "State"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.id = try container.decode(String.self, forKey: .id)
        let names = try container.decodeIfPresent([String].self, forKey: .names) ?? []
        self.names = names.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
        self.image = try container.decodeIfPresent(String.self, forKey: .image) ?? ""
        self.labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        self.state = try container.decodeIfPresent(String.self, forKey: .state) ?? ""
    }
}
