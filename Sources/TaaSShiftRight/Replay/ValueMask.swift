import Foundation

/// A regular expression whose matches in a string value (or header value) are replaced by
/// `<name>` on both sides before they are compared: two timestamps are then equal.
public struct ValueMask: Sendable {
    /// The name shown in place of a match, as `<name>`.
    public var name: String
    /// The pattern as written (ICU regular expression syntax, as `NSRegularExpression` reads it).
    public var pattern: String
    private let expression: NSRegularExpressionBox

    /// A mask of `pattern`.
    /// - Throws: ``ReplayError`` with code `noiseRules` when `pattern` is not a regular expression.
    public init(name: String, pattern: String) throws(ReplayError) {
        self.name = name
        self.pattern = pattern
        do {
            expression = NSRegularExpressionBox(try NSRegularExpression(pattern: pattern))
        } catch {
            throw ReplayError(.noiseRules, "mask \(name): \"\(pattern)\" is not a regular expression")
        }
    }

    /// `text` with every match replaced by `<name>`.
    public func apply(_ text: String) -> String {
        expression.value.stringByReplacingMatches(
            in: text,
            range: NSRange(text.startIndex..., in: text),
            withTemplate: NSRegularExpression.escapedTemplate(for: "<\(name)>")
        )
    }

    /// The built-in masks, used unless the rules say `"default_masks": false`: ISO 8601 timestamps
    /// (`2026-12-01T07:03:21.123456+00:00`, `2026-12-01 07:03:21Z`), UUIDs, and long hexadecimal
    /// ids (24 digits or more, as request and trace ids are written).
    public static var defaults: [ValueMask] {
        // The patterns are constants: they are known to compile.
        [
            try! ValueMask(
                name: "timestamp",
                pattern: #"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"#
            ),
            try! ValueMask(
                name: "uuid",
                pattern: #"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"#
            ),
            try! ValueMask(name: "hex-id", pattern: #"\b[0-9a-fA-F]{24,}\b"#),
        ]
    }
}

/// `NSRegularExpression` is immutable and safe to share, but not marked `Sendable`.
private final class NSRegularExpressionBox: @unchecked Sendable {
    let value: NSRegularExpression
    init(_ value: NSRegularExpression) { self.value = value }
}
