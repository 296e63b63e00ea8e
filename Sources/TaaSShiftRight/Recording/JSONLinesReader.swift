import Foundation

/// Reads JSON-lines structured logs into exchanges.
///
/// A record with a method and a path is a request (with its status, if it has one). Records that share
/// a trace id or request id are one request: a "request started" and a "request finished" record, and
/// an error or exception record of the same request, which becomes the exchange's ``RecordedExchange/error``.
/// A record at an error level (`error`, `fatal`, `critical`) without an error field gives its message as
/// the error. A request whose records hold neither a status nor an error is left out: its outcome is unknown.
public struct JSONLinesReader: Sendable {
    /// Where each field is.
    public var mapping: JSONLinesFieldMapping

    public init(mapping: JSONLinesFieldMapping = JSONLinesFieldMapping()) {
        self.mapping = mapping
    }

    private struct Pending {
        var method: String?
        var path: String?
        var status: Int?
        var error: String?
        var time: Date?
        var line: Int
    }

    /// The exchanges of the log's text, in the order of their first record.
    /// - Throws: ``RecordingError`` naming the first line that is not a JSON object.
    public func exchanges(in text: String, file: String) throws(RecordingError) -> [RecordedExchange] {
        var pending: [Pending] = []
        var byCorrelation: [String: Int] = [:]
        var orphanErrors: [(correlation: String, error: String, line: Int)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if content.isEmpty { continue }
            let object: [String: Any]
            do {
                guard let parsed = try JSONSerialization.jsonObject(with: Data(content.utf8)) as? [String: Any] else {
                    throw RecordingError(
                        .malformed,
                        file: file,
                        "line \(index + 1): expected a JSON object (one log record per line), found another JSON value"
                    )
                }
                object = parsed
            } catch let error as RecordingError {
                throw error
            } catch {
                let shown = content.count > 80 ? String(content.prefix(80)) + "…" : content
                throw RecordingError(
                    .malformed,
                    file: file,
                    "line \(index + 1): expected a JSON object (one log record per line), found: \(shown)"
                )
            }
            var record = Pending(line: index + 1)
            record.method = string(object, mapping.method)?.uppercased()
            record.path = string(object, mapping.path)
            record.status = status(object)
            record.error = error(object)
            record.time = time(object)
            let correlation = string(object, mapping.correlation)
            if let correlation, let known = byCorrelation[correlation] {
                pending[known].method = pending[known].method ?? record.method
                pending[known].path = pending[known].path ?? record.path
                pending[known].status = record.status ?? pending[known].status
                pending[known].error = pending[known].error ?? record.error
                pending[known].time = pending[known].time ?? record.time
                continue
            }
            if record.method == nil || record.path == nil {
                if let correlation, let error = record.error {
                    orphanErrors.append((correlation, error, index + 1))
                }
                continue
            }
            if let correlation { byCorrelation[correlation] = pending.count }
            pending.append(record)
        }
        for orphan in orphanErrors {
            if let known = byCorrelation[orphan.correlation], pending[known].error == nil {
                pending[known].error = orphan.error
            }
        }
        return pending.compactMap { record in
            guard let method = record.method, let path = record.path, record.status != nil || record.error != nil
            else { return nil }
            return RecordedExchange(
                method: method,
                url: path,
                response: record.status.map { RecordedResponse(status: $0) },
                startedAt: record.time,
                error: record.error,
                source: RecordingSource(file: file, unit: "line", position: record.line)
            )
        }
    }

    /// The value at a key, or at the nested objects its dots name.
    static func value(_ object: [String: Any], _ key: String) -> Any? {
        if let direct = object[key] { return direct }
        guard key.contains(".") else { return nil }
        var current: Any? = object
        for part in key.split(separator: ".") {
            guard let dictionary = current as? [String: Any] else { return nil }
            current = dictionary[String(part)]
        }
        return current
    }

    private func string(_ object: [String: Any], _ keys: [String]) -> String? {
        for key in keys {
            switch Self.value(object, key) {
            case let text as String where !text.isEmpty: return text
            case let number as NSNumber: return number.stringValue
            default: continue
            }
        }
        return nil
    }

    private func status(_ object: [String: Any]) -> Int? {
        guard let text = string(object, mapping.status), let code = Int(text), (100...599).contains(code) else {
            return nil
        }
        return code
    }

    private func error(_ object: [String: Any]) -> String? {
        let type = string(object, mapping.errorType)
        for key in mapping.error {
            switch Self.value(object, key) {
            case let text as String where !text.isEmpty:
                if let type, !text.hasPrefix(type) { return "\(type): \(text)" }
                return text
            case let nested as [String: Any]:
                let nestedType = (nested["type"] ?? nested["class"] ?? nested["name"] ?? nested["kind"]) as? String
                let message = (nested["message"] ?? nested["msg"] ?? nested["value"]) as? String
                let parts = [nestedType ?? type, message].compactMap { $0 }
                if !parts.isEmpty { return parts.joined(separator: ": ") }
            case let flag as Bool where flag:
                continue
            default:
                continue
            }
        }
        let level = string(object, mapping.level)?.lowercased() ?? ""
        if ["error", "fatal", "critical", "crit", "panic", "alert", "emergency", "err"].contains(level)
            || Int(level).map({ $0 >= 17 && $0 <= 24 }) == true
        {
            let message = string(object, mapping.message) ?? "an \(level) record"
            if let type { return "\(type): \(message)" }
            return message
        }
        if let type { return type }
        return nil
    }

    private func time(_ object: [String: Any]) -> Date? {
        for key in mapping.time {
            switch Self.value(object, key) {
            case let text as String:
                if let date = RecordingDates.iso8601(text) { return date }
                if let number = Double(text), let date = RecordingDates.epoch(number) { return date }
            case let number as NSNumber:
                if let date = RecordingDates.epoch(number.doubleValue) { return date }
            default:
                continue
            }
        }
        return nil
    }
}
