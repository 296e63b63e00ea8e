import Foundation

/// Reads an nginx or Apache access log into exchanges: one per line, with the method, the path and
/// query, the status and the time. Access logs keep no headers and no bodies. Lines without a request
/// (`"-"`, or bytes that are not HTTP) are skipped: there is nothing to replay.
public struct AccessLogReader: Sendable {
    /// The fields of a line, in order.
    public var format: AccessLogFormat

    public init(format: AccessLogFormat = .combined) {
        self.format = format
    }

    /// The exchanges of the log's text, in order. Blank lines are skipped.
    /// - Parameter file: the file's name, for the exchanges' sources and the errors.
    /// - Throws: ``RecordingError`` naming the first line that does not read in the format.
    public func exchanges(in text: String, file: String) throws(RecordingError) -> [RecordedExchange] {
        var exchanges: [RecordedExchange] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if content.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let line = format.read(content) else {
                let shown = content.count > 120 ? String(content.prefix(120)) + "…" : content
                throw RecordingError(
                    .malformed,
                    file: file,
                    "line \(index + 1): expected an access log line "
                        + (format == .combined
                            ? "in the combined format (REMOTE - USER [TIME] \"METHOD PATH PROTOCOL\" STATUS BYTES …)"
                            : "in the format given by --log-format")
                        + ", found: \(shown)"
                )
            }
            guard case .request(let method, let target, let status, let time) = line else { continue }
            exchanges.append(
                RecordedExchange(
                    method: method,
                    url: target,
                    response: status.map { RecordedResponse(status: $0) },
                    startedAt: time,
                    source: RecordingSource(file: file, unit: "line", position: index + 1)
                )
            )
        }
        return exchanges
    }
}
