#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A glob over workspace paths, as used by `integrity.locked` and `integrity.ignore`.
///
/// `*`, `?` and `[…]` match within one path component; `**` matches any number of components.
/// A pattern without a `/` matches a file's name at any depth (like `.gitignore`); a pattern that
/// matches a folder matches everything under it.
public struct GlobPattern: Sendable, Equatable {
    public let text: String
    private let components: [String]
    private let anyDepth: Bool

    public init(_ text: String) {
        self.text = text
        var trimmed = text
        while trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        components = trimmed.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter {
            $0 != "."
        }
        anyDepth = !trimmed.contains("/")
    }

    /// Whether `path` (relative to the workspace, `/`-separated) matches.
    public func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !parts.isEmpty, !components.isEmpty else { return false }
        if anyDepth {
            // Any component (a file, or a folder above it) that matches the single component.
            return parts.contains { Self.component(components[0], matches: $0) }
        }
        // The pattern may match the whole path or a folder above it.
        return (1...parts.count).contains { Self.match(components[...], parts[..<$0]) }
    }

    private static func match(_ pattern: ArraySlice<String>, _ parts: ArraySlice<String>) -> Bool {
        guard let head = pattern.first else { return parts.isEmpty }
        if head == "**" {
            let rest = pattern.dropFirst()
            return (parts.startIndex...parts.endIndex).contains { match(rest, parts[$0...]) }
        }
        guard let part = parts.first, component(head, matches: part) else { return false }
        return match(pattern.dropFirst(), parts.dropFirst())
    }

    private static func component(_ pattern: String, matches name: String) -> Bool {
        fnmatch(pattern, name, 0) == 0
    }
}
