import Foundation

/// A request's route: its method and path with the segments that are ids (numbers, UUIDs, long
/// hexadecimal strings) written `{id}`, and without its query. `GET /orders/17?x=1` and
/// `GET /orders/18` are both `GET /orders/{id}`: automatic noise is kept per route.
public struct ReplayRoute: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var method: String
    /// The templated path, such as `/orders/{id}`.
    public var template: String

    /// The route of a request of `method` to `path` (a path and query, or an absolute URL).
    public init(method: String, path: String) {
        self.method = method.uppercased()
        var rest = Substring(path)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        let segments = rest.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            Self.isID(segment) ? "{id}" : String(segment)
        }
        let joined = segments.joined(separator: "/")
        template = joined.isEmpty ? "/" : joined
    }

    /// `GET /orders/{id}`.
    public var description: String { "\(method) \(template)" }

    public static func < (lhs: ReplayRoute, rhs: ReplayRoute) -> Bool {
        (lhs.template, lhs.method) < (rhs.template, rhs.method)
    }

    /// A number, a UUID, or 8 or more hexadecimal digits with at least one decimal digit among them.
    static func isID(_ segment: Substring) -> Bool {
        guard !segment.isEmpty else { return false }
        if segment.allSatisfy(\.isASCIIDigit) { return true }
        let hex = segment.filter { $0 != "-" }
        let isHex = hex.allSatisfy { $0.isHexDigit && $0.isASCII }
        if isHex, hex.count == 32, segment.count == 36 || segment.count == 32 { return true }
        return isHex && segment.count >= 8 && !segment.contains("-") && segment.contains(where: \.isASCIIDigit)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
