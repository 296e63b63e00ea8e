import Foundation

/// A check of one value of an HTTP answer (its status, a header, a JSON value).
///
/// In a scope, a plain value means "equals"; an object whose members are all matcher keywords
/// (`equals`, `exists`, `contains`, `matches`, `gt`, `gte`, `lt`, `lte`) is a matcher, and all of its
/// members must hold. To compare with an object literally, use `{"equals": {…}}`.
public indirect enum ValueMatcher: Sendable, Equatable {
    /// The same JSON value (numbers by value, objects whatever their member order).
    case equals(JSONValue)
    /// Present (`true`) or absent (`false`).
    case exists(Bool)
    /// A string that contains this text, or an array that has this element.
    case contains(JSONValue)
    /// A string (or a number's text) in which this regular expression finds a match.
    case matches(String)
    case greaterThan(Double)
    case atLeast(Double)
    case lessThan(Double)
    case atMost(Double)
    /// Every matcher holds.
    case all([ValueMatcher])

    /// The matcher keywords.
    public static let keywords = ["equals", "exists", "contains", "matches", "gt", "gte", "lt", "lte"]

    /// Why `value` (`nil` when absent) does not satisfy the matcher, or `nil` when it does.
    public func failure(for value: JSONValue?) -> String? {
        let actual = value.map(Self.show) ?? "nothing (absent)"
        switch self {
        case .equals(let expected):
            guard let value, Self.equal(value, expected) else {
                return "expected \(Self.show(expected)), got \(actual)"
            }
            return nil
        case .exists(let present):
            if present, value == nil { return "expected a value, got nothing (absent)" }
            if !present, value != nil { return "expected no value, got \(actual)" }
            return nil
        case .contains(let part):
            switch (value, part) {
            case (.string(let text)?, .string(let fragment)) where text.contains(fragment):
                return nil
            case (.array(let elements)?, _) where elements.contains(where: { Self.equal($0, part) }):
                return nil
            default:
                return "expected a value containing \(Self.show(part)), got \(actual)"
            }
        case .matches(let pattern):
            guard let text = value.flatMap(Self.text), let regex = try? Regex(pattern),
                (try? regex.firstMatch(in: text)) != nil
            else { return "expected a value matching /\(pattern)/, got \(actual)" }
            return nil
        case .greaterThan(let bound):
            return compare(value, actual, "greater than", bound) { $0 > bound }
        case .atLeast(let bound):
            return compare(value, actual, "at least", bound) { $0 >= bound }
        case .lessThan(let bound):
            return compare(value, actual, "less than", bound) { $0 < bound }
        case .atMost(let bound):
            return compare(value, actual, "at most", bound) { $0 <= bound }
        case .all(let matchers):
            let failures = matchers.compactMap { $0.failure(for: value) }
            return failures.isEmpty ? nil : failures.joined(separator: "; ")
        }
    }

    private func compare(
        _ value: JSONValue?,
        _ actual: String,
        _ words: String,
        _ bound: Double,
        _ holds: (Double) -> Bool
    )
        -> String?
    {
        guard let number = value.flatMap(Self.number), holds(number) else {
            return "expected a number \(words) \(Self.show(.number(JSONNumber(Self.format(bound))))), got \(actual)"
        }
        return nil
    }

    /// A value's number: a JSON number, or a string that holds one (a header's value, say).
    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let number): number.double
        case .string(let text): Double(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let number): number.text
        case .bool(let flag): String(flag)
        default: nil
        }
    }

    private static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    /// JSON equality: numbers by value, objects by members whatever their order.
    static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        CanonicalJSON.string(lhs) == CanonicalJSON.string(rhs)
    }

    /// A value as compact JSON, cut at 200 characters.
    public static func show(_ value: JSONValue) -> String {
        let text = CanonicalJSON.string(value)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
