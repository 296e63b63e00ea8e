import Foundation

/// Reads OTLP/JSON trace files (`resourceSpans` → `scopeSpans` → `spans`, as the OpenTelemetry
/// Collector's file exporter and `trace.json` write them) into exchanges: one per HTTP server span.
///
/// A span is an HTTP request when it has `http.request.method` (or the older `http.method`); its path
/// is `url.path` with `url.query`, else the path of `url.full`, `http.target` or `http.url`; its status
/// is `http.response.status_code` (or `http.status_code`). Client spans (kind 3) are left out, so a
/// request traced on both sides counts once. A span whose status code is ERROR (`2` or
/// `"STATUS_CODE_ERROR"`) carries its exception events (`exception.type`, `exception.message`), or
/// its status message, as the exchange's error.
public struct OTLPTraceReader: Sendable {
    public init() {}

    /// The exchanges of the trace document, in document order.
    /// - Throws: ``RecordingError`` naming the JSON path that is not what OTLP/JSON has there.
    public func exchanges(in data: Data, file: String) throws(RecordingError) -> [RecordedExchange] {
        let document: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw RecordingError(.malformed, file: file, "$: expected an OTLP/JSON object with resourceSpans")
            }
            document = object
        } catch let error as RecordingError {
            throw error
        } catch {
            throw RecordingError(.malformed, file: file, "not JSON: \(error.localizedDescription)")
        }
        guard let resources = document["resourceSpans"] as? [Any] else {
            throw RecordingError(.malformed, file: file, "$.resourceSpans: expected an array of resource spans")
        }
        var exchanges: [RecordedExchange] = []
        var ordinal = 0
        for (resourceIndex, resource) in resources.enumerated() {
            let resourcePath = "$.resourceSpans[\(resourceIndex)]"
            guard let resource = resource as? [String: Any] else {
                throw RecordingError(.malformed, file: file, "\(resourcePath): expected an object")
            }
            let scopesKey = resource["scopeSpans"] != nil ? "scopeSpans" : "instrumentationLibrarySpans"
            guard let scopes = (resource[scopesKey] ?? []) as? [Any] else {
                throw RecordingError(.malformed, file: file, "\(resourcePath).\(scopesKey): expected an array")
            }
            for (scopeIndex, scope) in scopes.enumerated() {
                let scopePath = "\(resourcePath).\(scopesKey)[\(scopeIndex)]"
                guard let scope = scope as? [String: Any], let spans = (scope["spans"] ?? []) as? [Any] else {
                    throw RecordingError(.malformed, file: file, "\(scopePath): expected an object with a spans array")
                }
                for (spanIndex, span) in spans.enumerated() {
                    ordinal += 1
                    guard let span = span as? [String: Any] else {
                        throw RecordingError(
                            .malformed,
                            file: file,
                            "\(scopePath).spans[\(spanIndex)]: expected an object"
                        )
                    }
                    if let exchange = exchange(span, file: file, ordinal: ordinal) { exchanges.append(exchange) }
                }
            }
        }
        return exchanges
    }

    private func exchange(_ span: [String: Any], file: String, ordinal: Int) -> RecordedExchange? {
        let attributes = Self.attributes(span["attributes"])
        if let kind = span["kind"], Self.isClient(kind) { return nil }
        guard let method = (attributes["http.request.method"] ?? attributes["http.method"])?.uppercased() else {
            return nil
        }
        var path: String?
        if let urlPath = attributes["url.path"] {
            path = urlPath + (attributes["url.query"].map { "?\($0)" } ?? "")
        } else if let full = attributes["url.full"] ?? attributes["http.url"] {
            path = URLComponents(string: full).map { components in
                (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath)
                    + (components.percentEncodedQuery.map { "?\($0)" } ?? "")
            }
        } else if let target = attributes["http.target"] {
            path = target
        }
        guard let path else { return nil }
        let status = (attributes["http.response.status_code"] ?? attributes["http.status_code"]).flatMap { Int($0) }
        let spanStatus = span["status"] as? [String: Any]
        let isError = spanStatus.map { Self.isError($0["code"]) } ?? false
        var error: String?
        let events = (span["events"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        if let exception = events.first(where: { ($0["name"] as? String) == "exception" }) {
            let eventAttributes = Self.attributes(exception["attributes"])
            let parts = [eventAttributes["exception.type"], eventAttributes["exception.message"]].compactMap { $0 }
            if !parts.isEmpty { error = parts.joined(separator: ": ") }
        }
        if error == nil, isError {
            let message = spanStatus?["message"] as? String
            error =
                attributes["error.type"].map { type in message.map { "\(type): \($0)" } ?? type }
                ?? message ?? (status == nil ? "span status ERROR" : nil)
        }
        if status == nil, error == nil { return nil }
        let started = span["startTimeUnixNano"].flatMap { value -> Int64? in
            if let text = value as? String { return Int64(text) }
            return (value as? NSNumber)?.int64Value
        }
        return RecordedExchange(
            method: method,
            url: path,
            response: status.map { RecordedResponse(status: $0) },
            startedAt: started.flatMap(RecordingDates.nanoseconds),
            error: error,
            source: RecordingSource(file: file, unit: "span", position: ordinal)
        )
    }

    /// `[{"key": "k", "value": {"stringValue": "v"}}]` as a dictionary of texts (ints and bools as their text).
    static func attributes(_ value: Any?) -> [String: String] {
        var result: [String: String] = [:]
        for case let attribute as [String: Any] in value as? [Any] ?? [] {
            guard let key = attribute["key"] as? String, let value = attribute["value"] as? [String: Any] else {
                continue
            }
            if let text = value["stringValue"] as? String {
                result[key] = text
            } else if let number = value["intValue"] {
                result[key] = (number as? String) ?? (number as? NSNumber)?.stringValue
            } else if let number = value["doubleValue"] as? NSNumber {
                result[key] = number.stringValue
            } else if let flag = value["boolValue"] as? Bool {
                result[key] = flag ? "true" : "false"
            }
        }
        return result
    }

    private static func isError(_ code: Any?) -> Bool {
        if let text = code as? String { return text == "STATUS_CODE_ERROR" || text == "2" || text == "ERROR" }
        return (code as? NSNumber)?.intValue == 2
    }

    private static func isClient(_ kind: Any) -> Bool {
        if let text = kind as? String { return text == "SPAN_KIND_CLIENT" || text == "3" }
        return (kind as? NSNumber)?.intValue == 3
    }
}
