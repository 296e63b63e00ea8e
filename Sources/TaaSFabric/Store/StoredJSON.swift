import Foundation
import TaaSCore

/// How the stores keep labels and summaries in one column: JSON text with sorted keys (SQLite's
/// `text`, PostgreSQL's `jsonb`), read back leniently (an unreadable value is empty, never a crash).
public enum StoredJSON {
    /// Labels as a JSON object with sorted keys.
    public static func text(of labels: [String: String]) -> String {
        encoded(labels) ?? "{}"
    }

    /// Labels read back from ``text(of:)-(_:[String:String])``.
    public static func labels(from text: String?) -> [String: String] {
        text.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
    }

    /// A run's summary as JSON, or `nil`.
    public static func text(of summary: Summary?) -> String? {
        summary.flatMap(encoded)
    }

    /// A summary read back from ``text(of:)-(_:Summary?)``.
    public static func summary(from text: String?) -> Summary? {
        text.flatMap { try? JSONDecoder().decode(Summary.self, from: Data($0.utf8)) }
    }

    private static func encoded(_ value: some Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}
