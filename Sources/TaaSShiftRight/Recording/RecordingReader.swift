import Foundation

/// Reads any recording or log file into exchanges, in its given format or the one its content shows.
public struct RecordingReader: Sendable {
    /// The format of every file, or `nil` to tell each file's format from its content.
    public var format: RecordingFormat?
    /// The fields of access log lines.
    public var accessLogFormat: AccessLogFormat
    /// Where JSON-lines records keep their fields.
    public var fieldMapping: JSONLinesFieldMapping

    /// The largest file read, in bytes.
    public static let maximumBytes = 512 * 1024 * 1024

    public init(
        format: RecordingFormat? = nil,
        accessLogFormat: AccessLogFormat = .combined,
        fieldMapping: JSONLinesFieldMapping = JSONLinesFieldMapping()
    ) {
        self.format = format
        self.accessLogFormat = accessLogFormat
        self.fieldMapping = fieldMapping
    }

    /// The file's format and its exchanges in recorded order.
    /// - Throws: ``RecordingError``: the file is unreadable, its format cannot be told, or a line or
    ///   member is not what the format has there (named by line or JSON path).
    public func read(_ path: String) throws(RecordingError) -> (format: RecordingFormat, exchanges: [RecordedExchange])
    {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > Self.maximumBytes {
                throw RecordingError(
                    .unreadable,
                    file: path,
                    "it is \(size) bytes; at most \(Self.maximumBytes) are read (split the file)"
                )
            }
            if attributes[.type] as? FileAttributeType == .typeDirectory {
                throw RecordingError(.unreadable, file: path, "it is a folder; expected a log or recording file")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as RecordingError {
            throw error
        } catch {
            throw RecordingError(.unreadable, file: path, "cannot read the file: \(error.localizedDescription)")
        }
        let format: RecordingFormat
        if let given = self.format {
            format = given
        } else {
            format = try RecordingFormat.detect(data, file: path)
        }
        switch format {
        case .har:
            return (format, try HAR.load(from: path).exchanges(file: path))
        case .otlp:
            return (format, try OTLPTraceReader().exchanges(in: data, file: path))
        case .accessLog, .jsonLines:
            guard let text = String(data: data, encoding: .utf8) else {
                throw RecordingError(.malformed, file: path, "it is not UTF-8 text")
            }
            if format == .accessLog {
                return (format, try AccessLogReader(format: accessLogFormat).exchanges(in: text, file: path))
            }
            return (format, try JSONLinesReader(mapping: fieldMapping).exchanges(in: text, file: path))
        }
    }
}
