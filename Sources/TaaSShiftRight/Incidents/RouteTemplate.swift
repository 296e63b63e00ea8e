import Foundation

/// A request path with its ids collapsed, so that `GET /reports/17` and `GET /reports/42` are one route:
/// `/reports/{id}`.
///
/// A path segment becomes `{id}` when it is
/// - a number (`17`, `-3`, `4.5`);
/// - a UUID (`3f2a9c1b-0e6d-4c1a-9a57-4a1f0e7b2c3d`, any case, with or without dashes);
/// - hexadecimal of 12 characters or more with at least one digit (`5f3c2a9b1d7e`, a Mongo ObjectId, a SHA);
/// - an opaque token of 16 characters or more of letters, digits, `-` and `_` with at least 3 digits
///   (`AbC123dEf456GhI789`, a ULID);
/// - mostly digits: 4 characters or more, more than half of them digits (`2026-12-01`, `ord_123456`).
///
/// The query and a trailing slash are not part of the route; `%2F` and other escapes stay as they are.
public enum RouteTemplate {
    /// The placeholder for a collapsed segment.
    public static let placeholder = "{id}"

    /// The route of a path, or of an absolute URL's path (the query is dropped).
    public static func route(of target: String) -> String {
        var path = RequestTarget(target).path
        if path.count > 1, path.hasSuffix("/") { path.removeLast() }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            isIdentifier(segment) ? placeholder : String(segment)
        }
        let joined = segments.joined(separator: "/")
        return joined.isEmpty ? "/" : joined
    }

    /// Whether one path segment is an id rather than a name.
    public static func isIdentifier(_ segment: Substring) -> Bool {
        guard !segment.isEmpty else { return false }
        let characters = Array(segment)
        let digits = characters.filter(\.isASCIIDigit).count
        if Double(segment) != nil, digits > 0, characters.allSatisfy({ $0.isASCIIDigit || "-.".contains($0) }) {
            return true
        }
        let hexadecimal = characters.allSatisfy(\.isHexDigit)
        let undashed = segment.replacingOccurrences(of: "-", with: "")
        if undashed.count == 32, undashed.allSatisfy(\.isHexDigit),
            segment.count == 32 || segment.count == 36
        {
            return true
        }
        if hexadecimal, characters.count >= 12, digits > 0 { return true }
        let tokenCharacters = characters.allSatisfy {
            ($0.isASCII && ($0.isLetter || $0.isNumber)) || "-_".contains($0)
        }
        if tokenCharacters, characters.count >= 16, digits >= 3 { return true }
        if characters.count >= 4, digits * 2 > characters.count { return true }
        return false
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
