import Foundation

/// Short excerpts of recorded output for evidence details.
enum ReportLines {
    /// The last `count` non-empty lines of `text`, joined with ` | `.
    static func last(_ text: String, _ count: Int) -> String {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .suffix(count).joined(separator: " | ")
    }
}
