import Foundation
import TaaSCore

extension HAR {
    /// Reads a HAR file.
    ///
    /// - Throws: ``RecordingError`` when the file cannot be read or is not HAR (with the JSON path that is wrong).
    public static func load(from path: String) throws(RecordingError) -> HAR {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RecordingError(.unreadable, file: path, "cannot read the file: \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(HAR.self, from: data)
        } catch let error as DecodingError {
            throw RecordingError(.malformed, file: path, "not a HAR 1.2 archive: \(Self.describe(error))")
        } catch {
            throw RecordingError(.malformed, file: path, "not a HAR 1.2 archive: \(error)")
        }
    }

    /// The archive's entries as exchanges, in recorded order. A status of `0` (no answer) becomes an
    /// exchange without a response.
    public func exchanges(file: String) -> [RecordedExchange] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        return log.entries.enumerated().map { index, entry in
            let response: RecordedResponse? =
                entry.response.status == 0
                ? nil
                : RecordedResponse(
                    status: entry.response.status,
                    headers: entry.response.headers.map { HTTPField(name: $0.name, value: $0.value) },
                    body: entry.response.content.flatMap(Self.body)
                )
            return RecordedExchange(
                method: entry.request.method.uppercased(),
                url: entry.request.url,
                requestHeaders: entry.request.headers.map { HTTPField(name: $0.name, value: $0.value) },
                requestBody: entry.request.postData?.text.map { Data($0.utf8) },
                response: response,
                startedAt: formatter.date(from: entry.startedDateTime) ?? plain.date(from: entry.startedDateTime),
                source: RecordingSource(file: file, unit: "entry", position: index + 1)
            )
        }
    }

    private static func body(_ content: Content) -> Data? {
        guard let text = content.text else { return nil }
        if content.encoding?.lowercased() == "base64" { return Data(base64Encoded: text) }
        return Data(text.utf8)
    }

    /// `log.entries[3].request.url: missing`.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = "$"
            for key in codingPath {
                if let index = key.intValue { text += "[\(index)]" } else { text += ".\(key.stringValue)" }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(type), got null"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
