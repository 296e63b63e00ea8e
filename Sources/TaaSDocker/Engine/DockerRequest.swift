import Foundation
import NIOHTTP1

/// One Engine API request, before the API version is known: method, path, query, body and deadline.
struct DockerRequest: Sendable {
    /// What is sent as the request body.
    enum Body: Sendable {
        case none
        /// JSON, sent with `Content-Type: application/json`.
        case json(Data)
        /// A tar archive in memory, sent with `Content-Type: application/x-tar`.
        case tar(Data)
        /// A tar archive streamed from a file of known size, sent with `Content-Type: application/x-tar`.
        case tarFile(URL, size: Int64)
    }

    var method: HTTPMethod
    /// The path without the version prefix, such as `/containers/create`.
    var path: String
    var query: [(name: String, value: String)] = []
    var body: Body = .none
    /// How long the whole exchange (request, response head and body) may take.
    var timeout: Duration
    /// Whether the path gets the `/v{version}` prefix (`/_ping` does not need it).
    var versioned = true

    /// `GET /images/json` style summary for messages.
    var summary: String { "\(method.rawValue) \(path)" }

    /// The request target: `/v1.41/containers/create?name=x`, percent-encoded.
    func uri(apiVersion: String) -> String {
        var uri = versioned ? "/v\(apiVersion)" + path : path
        if !query.isEmpty {
            uri += "?" + query.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
        }
        return uri
    }

    /// Characters left as they are in query names and values (RFC 3986's unreserved set).
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )
    /// Characters left as they are in a path segment holding an image or container name: unreserved
    /// plus `/`, `:` and `@` (image names such as `registry:5000/team/app@sha256:…`).
    private static let nameCharacters = unreserved.union(CharacterSet(charactersIn: "/:@"))

    /// Percent-encodes a query name or value.
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// Percent-encodes an image or container name for use inside a path.
    static func pathComponent(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: nameCharacters) ?? name
    }
}
