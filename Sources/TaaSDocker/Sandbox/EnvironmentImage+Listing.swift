/// The environment images in an engine, for `taas cache ls`, `taas cache clear` and `taas gc`.
public struct EnvironmentImageRecord: Sendable, Equatable {
    /// `taas-env:<key>`.
    public var reference: String
    public var id: String
    /// The base image's name and id when the environment was made.
    public var baseImage: String
    public var baseImageID: String
    /// The dependencies installed, sorted, comma-separated.
    public var dependencies: String
    public var sizeBytes: Int64

    /// The environment images in the engine, newest first.
    public static func list(client: DockerClient) async throws(DockerError) -> [EnvironmentImageRecord] {
        try await client.listImages(label: EnvironmentImage.label).sorted { $0.created > $1.created }.map { image in
            EnvironmentImageRecord(
                reference: image.repoTags.first { $0.hasPrefix(EnvironmentImage.repository + ":") }
                    ?? "\(EnvironmentImage.repository):\(image.labels[EnvironmentImage.label] ?? "?")",
                id: image.id,
                baseImage: image.labels[EnvironmentImage.baseNameLabel] ?? "?",
                baseImageID: image.labels[EnvironmentImage.baseLabel] ?? "",
                dependencies: image.labels[EnvironmentImage.dependenciesLabel] ?? "",
                sizeBytes: image.size
            )
        }
    }

    /// Whether the base image it was made from is no longer in the engine (or was replaced under
    /// its name): no run will start from it again.
    public func isStale(client: DockerClient) async -> Bool {
        guard let base = try? await client.imageInspect(baseImage) else { return true }
        return base.id != baseImageID
    }
}
