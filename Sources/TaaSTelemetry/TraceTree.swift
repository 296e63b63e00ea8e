/// A trace as an indented tree, one span a line, children under their parent in order of start:
/// the name, the duration and the status (`ERROR (type)` for an error span).
public enum TraceTree {
    /// The text of `document`'s spans, each trace headed by its id.
    public static func render(_ document: OTLPTraceDocument) -> String {
        let spans = document.spans
        let ids = Set(spans.map(\.spanId))
        var children: [String: [OTLPTraceDocument.JSONSpan]] = [:]
        var roots: [OTLPTraceDocument.JSONSpan] = []
        for span in spans {
            if let parent = span.parentSpanId, !parent.isEmpty, ids.contains(parent), parent != span.spanId {
                children[parent, default: []].append(span)
            } else {
                roots.append(span)
            }
        }
        func ordered(_ list: [OTLPTraceDocument.JSONSpan]) -> [OTLPTraceDocument.JSONSpan] {
            list.enumerated().sorted {
                let (left, right) = (
                    UInt64($0.element.startTimeUnixNano) ?? 0, UInt64($1.element.startTimeUnixNano) ?? 0
                )
                return left == right ? $0.offset < $1.offset : left < right
            }.map(\.element)
        }
        var lines: [String] = []
        var seen = Set<String>()
        func add(_ span: OTLPTraceDocument.JSONSpan, depth: Int) {
            guard seen.insert(span.spanId).inserted else { return }
            lines.append(String(repeating: "  ", count: depth) + line(for: span))
            for child in ordered(children[span.spanId] ?? []) { add(child, depth: depth + 1) }
        }
        var traces: [String] = []
        for root in ordered(roots) {
            if !traces.contains(root.traceId) {
                traces.append(root.traceId)
                lines.append("trace \(root.traceId)")
            }
            add(root, depth: 1)
        }
        if spans.isEmpty { lines.append("(no spans)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `name  duration  status`.
    static func line(for span: OTLPTraceDocument.JSONSpan) -> String {
        let start = UInt64(span.startTimeUnixNano) ?? 0
        let end = UInt64(span.endTimeUnixNano) ?? start
        let status: String
        switch span.status?.code ?? 0 {
        case 1: status = "OK"
        case 2: status = "ERROR" + (span.status?.message.map { " (\($0))" } ?? "")
        default: status = "UNSET"
        }
        return "\(span.name)  \(duration(nanoseconds: end >= start ? end - start : 0))  \(status)"
    }

    /// `850 ms`, `2.31 s`.
    static func duration(nanoseconds: UInt64) -> String {
        let milliseconds = (nanoseconds + 500_000) / 1_000_000
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        let hundredths = (milliseconds + 5) / 10
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) s"
    }
}
