import Foundation

/// A JSON document as a tree of values, as read by ``JSONParser``.
///
/// Objects keep their members in document order, so that every problem can be reported in the
/// order a person reads the file; ``CanonicalJSON`` sorts them when a stable form is needed.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number, kept as its source text so that no precision is lost before validation.
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// A short name of the value's kind, as used in error messages ("a string", "an array").
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value of a member of an object, or `nil` when this is not an object or has no such member.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }
}

/// One `"key": value` member of a JSON object, with where it starts in the source.
public struct JSONMember: Sendable, Equatable {
    public var key: String
    public var value: JSONValue
    public var location: SourceLocation

    public init(key: String, value: JSONValue, location: SourceLocation = .unknown) {
        self.key = key
        self.value = value
        self.location = location
    }
}

/// A JSON number as written in the source, with its numeric value.
public struct JSONNumber: Sendable, Equatable {
    /// The number's text exactly as written.
    public var text: String

    public init(_ text: String) { self.text = text }

    /// The value as a `Double` (always available for valid JSON numbers).
    public var double: Double { Double(text) ?? .nan }

    /// The value as an integer, when it is one (`3`, `3.0` and `3e0` all are).
    public var integer: Int? {
        if let exact = Int(text) { return exact }
        let value = double
        guard value.isFinite, value.rounded() == value, abs(value) < 9.0e15 else { return nil }
        return Int(value)
    }
}

/// A line and column (both 1-based) in a source document.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// A location for values that were not read from text.
    public static let unknown = SourceLocation(line: 0, column: 0)

    public var description: String { "line \(line), column \(column)" }
}
