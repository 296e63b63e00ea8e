import Foundation

extension TaaSReport {
    /// The report as pretty-printed JSON with sorted keys and ISO 8601 dates.
    public func jsonData() throws -> Data {
        var data = try Self.encoder(pretty: true).encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads a report written by ``jsonData()``.
    public static func decode(from data: Data) throws -> TaaSReport {
        try decoder().decode(TaaSReport.self, from: data)
    }

    /// The encoder of report.json (sorted keys, ISO 8601 dates with milliseconds), also for its parts
    /// (a scenario's result in an event).
    public static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(TaaSReport.timestamp(date))
        }
        return encoder
    }

    /// The decoder that reads what ``encoder(pretty:)`` wrote.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard
                let date = (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
                    ?? (try? Date(text, strategy: .iso8601))
            else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 date: \(text)")
                )
            }
            return date
        }
        return decoder
    }

    /// An ISO 8601 timestamp with milliseconds, in UTC: `2026-11-26T00:31:57.920Z`.
    ///
    /// The milliseconds are rounded here rather than left to the formatter, which truncates: a time
    /// read back from `.920` is a binary fraction just below it, and must be written as `.920` again.
    public static func timestamp(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = (milliseconds / 1000).rounded(.down)
        let fraction = Int(milliseconds - seconds * 1000)
        let whole = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle())
        return whole.dropLast() + "." + String(String(fraction + 1000).dropFirst()) + "Z"
    }
}
