import Foundation

/// A recorded URL (absolute, or a path with a query) cut into its path and its query parameters.
public struct RequestTarget: Sendable, Equatable {
    /// The path, starting with `/`, as it was written (escapes kept).
    public var path: String
    /// The query's parameters in order, each as written (escapes kept); `nil` value for `?flag`.
    public var query: [(name: String, value: String?)]

    /// Reads `http://host:port/path?query#fragment` or `/path?query`.
    public init(_ url: String) {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://"), rest[..<scheme.lowerBound].allSatisfy({ $0.isLetter }) {
            rest = rest[scheme.upperBound...]
            rest = rest[(rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex)...]
        }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let pathEnd = rest.firstIndex(of: "?") ?? rest.endIndex
        let path = String(rest[..<pathEnd])
        self.path = path.isEmpty ? "/" : (path.hasPrefix("/") ? path : "/" + path)
        query = []
        if pathEnd < rest.endIndex {
            for pair in rest[rest.index(after: pathEnd)...].split(separator: "&") where !pair.isEmpty {
                if let equals = pair.firstIndex(of: "=") {
                    query.append((String(pair[..<equals]), String(pair[pair.index(after: equals)...])))
                } else {
                    query.append((String(pair), nil))
                }
            }
        }
    }

    /// The path and query as one request target.
    public var pathAndQuery: String {
        guard !query.isEmpty else { return path }
        let pairs: [String] = query.map { parameter in
            guard let value = parameter.value else { return parameter.name }
            return parameter.name + "=" + value
        }
        return path + "?" + pairs.joined(separator: "&")
    }

    /// A query parameter's name with its escapes undone, lowercased.
    static func decodedName(_ name: String) -> String {
        (name.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? name).lowercased()
    }

    public static func == (lhs: RequestTarget, rhs: RequestTarget) -> Bool {
        lhs.pathAndQuery == rhs.pathAndQuery
    }
}
