import Foundation

/// The kinds of recordings and logs that taas reads requests from.
public enum RecordingFormat: String, Sendable, CaseIterable {
    /// An HTTP Archive (HAR 1.2): browsers, mitmproxy, proxies.
    case har
    /// An nginx or Apache access log, in the combined format or one named by ``AccessLogFormat``.
    case accessLog = "access-log"
    /// JSON lines: one structured log record per line (see ``JSONLinesFieldMapping``).
    case jsonLines = "jsonl"
    /// An OTLP/JSON trace file (`resourceSpans` → `scopeSpans` → `spans`).
    case otlp

    /// The format of a file, told from its content.
    ///
    /// A JSON document with `log.entries` is HAR, one with `resourceSpans` is OTLP; a file whose first
    /// non-empty line is a JSON object is JSON lines; one whose first line reads as a combined access log
    /// line is an access log.
    /// - Throws: ``RecordingError`` with code `unknownFormat` when none of these fits.
    public static func detect(_ data: Data, file: String) throws(RecordingError) -> RecordingFormat {
        let text = String(decoding: data.prefix(64 * 1024), as: UTF8.self)
        let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            if let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                if let log = document["log"] as? [String: Any], log["entries"] != nil { return .har }
                if document["resourceSpans"] != nil { return .otlp }
            }
            let firstLine = trimmed.prefix { $0 != "\n" }
            if (try? JSONSerialization.jsonObject(with: Data(firstLine.utf8))) is [String: Any] { return .jsonLines }
        }
        if let firstLine = trimmed.split(separator: "\n", maxSplits: 1).first,
            case .request = AccessLogFormat.combined.read(String(firstLine))
        {
            return .accessLog
        }
        throw RecordingError(
            .unknownFormat,
            file: file,
            "cannot tell its format from its content (expected a HAR archive, an OTLP/JSON trace, JSON lines, "
                + "or an nginx/Apache access log in the combined format); pass --format har, access-log, jsonl or otlp"
        )
    }
}
