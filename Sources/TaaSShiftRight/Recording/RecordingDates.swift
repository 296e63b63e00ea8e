import Foundation

/// The time stamps that recordings write, read into dates.
enum RecordingDates {
    /// ISO 8601 with or without fractional seconds (`2026-12-01T07:03:21.123Z`, `…+00:00`), or a
    /// date and time separated by a space (Python's `asctime`-like `2026-12-01 07:03:21,123`).
    static func iso8601(_ text: String) -> Date? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let normalized = text.replacingOccurrences(of: " ", with: "T").replacingOccurrences(of: ",", with: ".")
        if normalized != text { return iso8601(normalized) }
        if !text.contains("Z"), !text.contains("+"), text.count >= 19 { return iso8601(text + "Z") }
        return nil
    }

    /// A number of seconds, milliseconds, microseconds or nanoseconds since 1970, told by its size.
    static func epoch(_ value: Double) -> Date? {
        guard value.isFinite, value > 0 else { return nil }
        if value > 1e17 { return Date(timeIntervalSince1970: value / 1e9) }
        if value > 1e14 { return Date(timeIntervalSince1970: value / 1e6) }
        if value > 1e11 { return Date(timeIntervalSince1970: value / 1e3) }
        return Date(timeIntervalSince1970: value)
    }

    /// A number of nanoseconds since 1970 (OTLP's `startTimeUnixNano`), without losing whole seconds.
    static func nanoseconds(_ value: Int64) -> Date? {
        guard value > 0 else { return nil }
        let seconds = value / 1_000_000_000
        let rest = value % 1_000_000_000
        return Date(timeIntervalSince1970: Double(seconds) + Double(rest) / 1e9)
    }

    /// The text of a time stamp for people and fragments: ISO 8601 in UTC with milliseconds.
    static func text(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
