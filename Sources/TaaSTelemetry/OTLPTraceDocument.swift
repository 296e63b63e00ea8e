import Foundation

/// An OTLP `ExportTraceServiceRequest` in its JSON encoding (resourceSpans → scopeSpans → spans,
/// ids in hex, times as decimal strings of nanoseconds): `trace.json`, and the body of an
/// `http/json` export.
public struct OTLPTraceDocument: Codable, Sendable, Equatable {
    public var resourceSpans: [ResourceSpans]

    public struct ResourceSpans: Codable, Sendable, Equatable {
        public var resource: Resource
        public var scopeSpans: [ScopeSpans]
    }

    public struct Resource: Codable, Sendable, Equatable {
        public var attributes: [KeyValue]?
    }

    public struct ScopeSpans: Codable, Sendable, Equatable {
        public var scope: InstrumentationScope
        public var spans: [JSONSpan]
    }

    public struct InstrumentationScope: Codable, Sendable, Equatable {
        public var name: String
        public var version: String?
    }

    public struct JSONSpan: Codable, Sendable, Equatable {
        public var traceId: String
        public var spanId: String
        public var parentSpanId: String?
        public var traceState: String?
        public var name: String
        public var kind: Int
        public var startTimeUnixNano: String
        public var endTimeUnixNano: String
        public var attributes: [KeyValue]?
        public var events: [Event]?
        public var status: Status?
    }

    public struct Event: Codable, Sendable, Equatable {
        public var timeUnixNano: String
        public var name: String
        public var attributes: [KeyValue]?
    }

    public struct Status: Codable, Sendable, Equatable {
        /// 0 unset, 1 ok, 2 error.
        public var code: Int?
        public var message: String?
    }

    public struct KeyValue: Codable, Sendable, Equatable {
        public var key: String
        public var value: AnyValue
    }

    /// One of `stringValue`, `boolValue`, `intValue` (a decimal string), `doubleValue`.
    public struct AnyValue: Codable, Sendable, Equatable {
        public var stringValue: String?
        public var boolValue: Bool?
        public var intValue: String?
        public var doubleValue: Double?

        /// The value as text, for display.
        public var text: String {
            stringValue ?? boolValue.map(String.init) ?? intValue ?? doubleValue.map { "\($0)" } ?? ""
        }
    }
}

extension OTLPTraceDocument {
    /// The name of the instrumentation scope of `taas`'s spans.
    public static let scopeName = "maestro-taas"

    /// A document of `spans` under one resource with `resource` attributes.
    public init(spans: [Span], resource: [Attribute], version: String) {
        let scope = ScopeSpans(
            scope: InstrumentationScope(name: Self.scopeName, version: version),
            spans: spans.map(JSONSpan.init)
        )
        self.resourceSpans = [
            ResourceSpans(resource: Resource(attributes: resource.map(KeyValue.init)), scopeSpans: [scope])
        ]
    }

    /// Pretty-printed JSON with sorted keys.
    public func jsonData(pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys]
        var data = try encoder.encode(self)
        if pretty { data.append(0x0A) }
        return data
    }

    /// Reads a `trace.json`; every problem names the file's JSON path that is wrong.
    public static func read(from data: Data, file: String) throws(TraceFileError) -> OTLPTraceDocument {
        do {
            return try JSONDecoder().decode(OTLPTraceDocument.self, from: data)
        } catch let error as DecodingError {
            throw TraceFileError(file: file, error)
        } catch {
            throw TraceFileError(file: file, message: "\(error)")
        }
    }

    /// Every span of the document.
    public var spans: [JSONSpan] { resourceSpans.flatMap { $0.scopeSpans.flatMap(\.spans) } }
}

extension OTLPTraceDocument.JSONSpan {
    init(_ span: Span) {
        traceId = span.traceID
        spanId = span.spanID
        parentSpanId = span.parentSpanID
        traceState = span.traceState
        name = span.name
        kind = span.kind.rawValue
        startTimeUnixNano = String(OTLPTime.nanoseconds(span.start))
        endTimeUnixNano = String(OTLPTime.nanoseconds(span.end))
        attributes = span.attributes.isEmpty ? nil : span.attributes.map(OTLPTraceDocument.KeyValue.init)
        events =
            span.events.isEmpty
            ? nil
            : span.events.map {
                OTLPTraceDocument.Event(
                    timeUnixNano: String(OTLPTime.nanoseconds($0.time)),
                    name: $0.name,
                    attributes: $0.attributes.map(OTLPTraceDocument.KeyValue.init)
                )
            }
        switch span.status {
        case .unset: status = nil
        case .ok: status = OTLPTraceDocument.Status(code: 1, message: nil)
        case .error(let message): status = OTLPTraceDocument.Status(code: 2, message: message)
        }
    }

    /// The value of the attribute `key`, if the span has it.
    public func attribute(_ key: String) -> OTLPTraceDocument.AnyValue? {
        attributes?.first { $0.key == key }?.value
    }
}

extension OTLPTraceDocument.KeyValue {
    init(_ attribute: Attribute) {
        key = attribute.key
        switch attribute.value {
        case .string(let text): value = .init(stringValue: text)
        case .bool(let flag): value = .init(boolValue: flag)
        case .int(let number): value = .init(intValue: String(number))
        case .double(let number): value = .init(doubleValue: number)
        }
    }
}

/// OTLP's times: nanoseconds since the Unix epoch.
enum OTLPTime {
    static func nanoseconds(_ date: Date) -> UInt64 {
        UInt64(max(0, (date.timeIntervalSince1970 * 1_000_000).rounded())) * 1000
    }
}

/// A `trace.json` that cannot be read: the file, the JSON path, and what was expected there.
public struct TraceFileError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var message: String

    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }

    init(file: String, _ error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { text, key in
                key.intValue.map { "\(text)[\($0)]" } ?? (text.isEmpty ? key.stringValue : "\(text).\(key.stringValue)")
            }
        }
        let expected = "an OTLP/JSON ExportTraceServiceRequest (resourceSpans → scopeSpans → spans), as taas run writes"
        switch error {
        case .keyNotFound(let key, let context):
            let at = path(context.codingPath + [key])
            self.init(file: file, message: "\(at): required field is missing; expected \(expected)")
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            self.init(file: file, message: "\(path(context.codingPath)): expected \(type)")
        case .dataCorrupted(let context):
            let at = context.codingPath.isEmpty ? "" : "\(path(context.codingPath)): "
            self.init(file: file, message: "\(at)not valid JSON: \(context.debugDescription)")
        @unknown default:
            self.init(file: file, message: "\(error)")
        }
    }

    public var description: String { "\(file): \(message)" }
}
