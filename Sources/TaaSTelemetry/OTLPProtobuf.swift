import Foundation

/// Writes an ``OTLPTraceDocument`` as the protobuf `ExportTraceServiceRequest` of
/// `opentelemetry/proto/collector/trace/v1/trace_service.proto`: the body of an `http/protobuf` export.
///
/// swift-otel's generated message types are `package`-internal, so the few messages a trace needs
/// are written here by hand, field by field (numbers from the OTLP `.proto` files).
enum OTLPProtobuf {
    static func encode(_ document: OTLPTraceDocument) -> [UInt8] {
        var writer = ProtobufWriter()
        for resourceSpans in document.resourceSpans {
            writer.message(1) { resourceSpansWriter in
                resourceSpansWriter.message(1) { resource in
                    for attribute in resourceSpans.resource.attributes ?? [] {
                        resource.message(1) { $0.keyValue(attribute) }
                    }
                }
                for scopeSpans in resourceSpans.scopeSpans {
                    resourceSpansWriter.message(2) { scopeWriter in
                        scopeWriter.message(1) { scope in
                            scope.string(1, scopeSpans.scope.name)
                            if let version = scopeSpans.scope.version { scope.string(2, version) }
                        }
                        for span in scopeSpans.spans { scopeWriter.message(2) { $0.span(span) } }
                    }
                }
            }
        }
        return writer.bytes
    }
}

/// The protobuf wire format, as far as OTLP traces need it.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func tag(_ field: Int, _ wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

    mutating func uint(_ field: Int, _ value: UInt64) {
        guard value != 0 else { return }
        tag(field, 0)
        varint(value)
    }

    mutating func int64(_ field: Int, _ value: Int64) {
        tag(field, 0)
        varint(UInt64(bitPattern: value))
    }

    mutating func fixed64(_ field: Int, _ value: UInt64) {
        tag(field, 1)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func double(_ field: Int, _ value: Double) { fixed64(field, value.bitPattern) }

    mutating func data(_ field: Int, _ value: [UInt8]) {
        tag(field, 2)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ field: Int, _ value: String) { data(field, Array(value.utf8)) }

    mutating func bool(_ field: Int, _ value: Bool) {
        tag(field, 0)
        varint(value ? 1 : 0)
    }

    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        body(&nested)
        data(field, nested.bytes)
    }

    /// `KeyValue { key = 1; AnyValue value = 2 }`.
    mutating func keyValue(_ attribute: OTLPTraceDocument.KeyValue) {
        string(1, attribute.key)
        message(2) { value in
            let any = attribute.value
            if let text = any.stringValue {
                value.string(1, text)
            } else if let flag = any.boolValue {
                value.bool(2, flag)
            } else if let number = any.intValue.flatMap({ Int64($0) }) {
                value.int64(3, number)
            } else if let number = any.doubleValue {
                value.double(4, number)
            }
        }
    }

    /// `Span`: trace_id 1, span_id 2, trace_state 3, parent_span_id 4, name 5, kind 6,
    /// start 7, end 8 (fixed64), attributes 9, events 11, status 15 (message 2, code 3).
    mutating func span(_ span: OTLPTraceDocument.JSONSpan) {
        data(1, Self.bytes(hex: span.traceId))
        data(2, Self.bytes(hex: span.spanId))
        if let state = span.traceState { string(3, state) }
        if let parent = span.parentSpanId, !parent.isEmpty { data(4, Self.bytes(hex: parent)) }
        string(5, span.name)
        uint(6, UInt64(span.kind))
        fixed64(7, UInt64(span.startTimeUnixNano) ?? 0)
        fixed64(8, UInt64(span.endTimeUnixNano) ?? 0)
        for attribute in span.attributes ?? [] { message(9) { $0.keyValue(attribute) } }
        for event in span.events ?? [] {
            message(11) { writer in
                writer.fixed64(1, UInt64(event.timeUnixNano) ?? 0)
                writer.string(2, event.name)
                for attribute in event.attributes ?? [] { writer.message(3) { $0.keyValue(attribute) } }
            }
        }
        if let status = span.status {
            message(15) { writer in
                if let text = status.message { writer.string(2, text) }
                writer.uint(3, UInt64(status.code ?? 0))
            }
        }
    }

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }
}
