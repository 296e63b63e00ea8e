import Foundation
import NIOHTTP1

/// Containers made into images, their logs, and images found by label.
extension DockerClient {
    /// Makes an image of a stopped container's filesystem and configuration (`POST /commit`).
    ///
    /// - Parameters:
    ///   - id: The container's ID or name.
    ///   - repository: The new image's repository, such as `taas-env`.
    ///   - tag: The new image's tag.
    ///   - changes: Dockerfile instructions applied to the image, such as `LABEL k=v`.
    /// - Returns: The new image's ID.
    /// - Throws: ``DockerError`` when the engine cannot be reached or refuses.
    public func commit(
        _ id: String,
        repository: String,
        tag: String,
        changes: [String] = []
    ) async throws(DockerError) -> String {
        struct Committed: Decodable {
            var id: String
            enum CodingKeys: String, CodingKey { case id = "Id" }
        }
        let query =
            [("container", id), ("repo", repository), ("tag", tag), ("pause", "0")] + changes.map { ("changes", $0) }
        let request = DockerRequest(
            method: .POST,
            path: "/commit",
            query: query.map { (name: $0.0, value: $0.1) },
            timeout: transferTimeout
        )
        return try await decode(Committed.self, from: send(request), request).id
    }

    /// A container's output so far (`GET /containers/{id}/logs`), stdout and stderr in the order
    /// written, its last `tail` lines. The stream's frame headers (no TTY) are removed.
    public func logs(_ id: String, tail: Int = 100) async throws(DockerError) -> String {
        let request = DockerRequest(
            method: .GET,
            path: "/containers/\(DockerRequest.pathComponent(id))/logs",
            query: [("stdout", "1"), ("stderr", "1"), ("tail", String(tail))],
            timeout: requestTimeout
        )
        let response = try await send(request)
        try ensureSuccess(response, request)
        return String(decoding: Self.demultiplex(response.body), as: UTF8.self)
    }

    /// The payloads of Docker's multiplexed log stream: frames of an 8-byte header (stream, 0, 0, 0,
    /// big-endian length) and that many bytes. Data that is not framed is returned as it is.
    static func demultiplex(_ data: Data) -> Data {
        var output = Data()
        var index = data.startIndex
        while index + 8 <= data.endIndex {
            let header = data[index..<index + 8]
            guard [0, 1, 2].contains(header[header.startIndex]) else { return data }
            let length = header.suffix(4).reduce(0) { $0 << 8 | Int($1) }
            let start = index + 8
            let end = min(start + length, data.endIndex)
            output.append(data[start..<end])
            index = end
        }
        return index == data.endIndex ? output : data
    }

    /// The local images that carry a label (`GET /images/json?filters={"label":["key"]}`).
    ///
    /// - Parameter label: `key=value`, or just `key` for any value.
    public func listImages(label: String) async throws(DockerError) -> [ImageSummary] {
        let filters = try encodeJSON(["label": [label]], for: "the label filter")
        let request = DockerRequest(
            method: .GET,
            path: "/images/json",
            query: [("filters", String(decoding: filters, as: UTF8.self))],
            timeout: requestTimeout
        )
        return try await decode([ImageSummary].self, from: send(request), request)
    }
}

/// One image in the answer of `GET /images/json`.
public struct ImageSummary: Sendable, Hashable, Decodable {
    /// The image ID, such as `sha256:4f5c…`.
    public var id: String
    /// The names that point at it.
    public var repoTags: [String]
    /// Its labels.
    public var labels: [String: String]
    /// Its size in bytes.
    public var size: Int64
    /// When it was made, in seconds since 1970.
    public var created: Int64

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case repoTags = "RepoTags"
        case labels = "Labels"
        case size = "Size"
        case created = "Created"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        repoTags = try container.decodeIfPresent([String].self, forKey: .repoTags) ?? []
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        size = try container.decodeIfPresent(Int64.self, forKey: .size) ?? 0
        created = try container.decodeIfPresent(Int64.self, forKey: .created) ?? 0
    }
}
