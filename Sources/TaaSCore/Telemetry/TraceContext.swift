import Foundation

/// The trace of one run: its trace id, chosen when the run starts, and the span id of every step,
/// service and attempt, derived from the step's label so that the id a process is given in its
/// `TRACEPARENT` is the id its span has in `trace.json`.
///
/// A span id is the first 8 bytes of SHA-256 over the trace id and the label (`setup-1`,
/// `service-api`, `UNIT-001.attempt-2`, `run`): known before the step starts, unique within the trace,
/// and recorded by the trace itself, so nothing else has to be kept.
public struct TraceContext: Sendable, Equatable {
    /// 32 lowercase hex digits.
    public var traceID: String
    /// The span the run's span is a child of, when `taas` itself was started inside a trace (its
    /// own `TRACEPARENT`); 16 hex digits.
    public var parentSpanID: String?
    /// The caller's `TRACESTATE`, passed on unchanged to every process.
    public var traceState: String?

    /// The label of the run's own span.
    public static let runLabel = "run"

    public init(traceID: String, parentSpanID: String? = nil, traceState: String? = nil) {
        self.traceID = traceID
        self.parentSpanID = parentSpanID
        self.traceState = traceState
    }

    /// A new trace with a random trace id.
    public static func random() -> TraceContext {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        repeat {
            for index in bytes.indices { bytes[index] = generator.next() }
        } while bytes.allSatisfy { $0 == 0 }
        return TraceContext(traceID: hex(bytes))
    }

    /// The trace a run joins: the one named by `TRACEPARENT` in `environment` when it is a valid
    /// W3C `traceparent` (the run's span becomes a child of it), else a new random trace.
    public static func joining(_ environment: [String: String]) -> TraceContext {
        guard let parent = environment["TRACEPARENT"].flatMap(TraceParent.init(parsing:)) else { return random() }
        let state = environment["TRACESTATE"].flatMap { $0.isEmpty ? nil : $0 }
        return TraceContext(traceID: parent.traceID, parentSpanID: parent.spanID, traceState: state)
    }

    /// The label of a test case's span: its attempt's label and the case's full name.
    public static func caseLabel(attempt: String, case name: String) -> String { "\(attempt)/\(name)" }

    /// The span id of the span with `label` in this trace.
    public func spanID(for label: String) -> String {
        var bytes = Array(Self.digest(of: Data("\(traceID)/\(label)".utf8)).prefix(8))
        if bytes.allSatisfy({ $0 == 0 }) { bytes[7] = 1 }
        return Self.hex(bytes)
    }

    /// The W3C `traceparent` value naming the span with `label` (sampled).
    public func traceparent(for label: String) -> String {
        "00-\(traceID)-\(spanID(for: label))-01"
    }

    /// The variables that carry the context of the span with `label` into a process, per the
    /// OpenTelemetry convention of environment variables as propagation carriers.
    public func environment(for label: String) -> [String: String] {
        var variables = ["TRACEPARENT": traceparent(for: label)]
        if let traceState { variables["TRACESTATE"] = traceState }
        return variables
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(String(UInt16($0) | 0x100, radix: 16).dropFirst()) }.joined()
    }
}

/// A parsed W3C `traceparent` header or variable: `00-<32 hex>-<16 hex>-<2 hex>`.
public struct TraceParent: Sendable, Equatable {
    public var traceID: String
    public var spanID: String
    public var sampled: Bool

    /// Parses `text`; `nil` unless it is a valid version-00 value with non-zero ids.
    public init?(parsing text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "00", parts[1].count == 32, parts[2].count == 16, parts[3].count == 2
        else { return nil }
        let hexDigits = Set("0123456789abcdef")
        guard parts[1...].allSatisfy({ $0.allSatisfy(hexDigits.contains) }),
            parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" }),
            let flags = UInt8(parts[3], radix: 16)
        else { return nil }
        traceID = String(parts[1])
        spanID = String(parts[2])
        sampled = flags & 1 == 1
    }
}

extension CaseResult {
    /// The case's full name, as its span's `test.case.name`: `classname.name`, or the name alone.
    public var fullName: String { classname.isEmpty ? name : "\(classname).\(name)" }
}
