import Foundation

/// A path to a value inside a JSON document, printed as `scenarios[1].retry_policy.attempts`.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible, Comparable {
    /// One step of a path: a member name or an array index.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    /// The document itself.
    public static let root = JSONPath()

    /// This path extended by a member name.
    public func appending(_ key: String) -> JSONPath { JSONPath(components + [.key(key)]) }

    /// This path extended by an array index.
    public func appending(_ index: Int) -> JSONPath { JSONPath(components + [.index(index)]) }

    public var description: String {
        guard !components.isEmpty else { return "$" }
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                let plain = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
                if plain {
                    text += text.isEmpty ? key : ".\(key)"
                } else {
                    text += "[\"\(key.replacingOccurrences(of: "\"", with: "\\\""))\"]"
                }
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    public static func < (lhs: JSONPath, rhs: JSONPath) -> Bool { lhs.description < rhs.description }
}
