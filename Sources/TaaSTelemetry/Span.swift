import Foundation

/// One finished span of a run's trace, in the OpenTelemetry data model.
public struct Span: Sendable, Equatable {
    /// What the span is to its trace: the run is `server`, everything inside it `internal`.
    public enum Kind: Int, Sendable {
        case `internal` = 1
        case server = 2
        case client = 3
    }

    /// The span's status: unset, or an error with a short, low-cardinality description.
    public enum Status: Sendable, Equatable {
        case unset
        case ok
        case error(String)
    }

    /// An event at a point of the span, such as the `exception` of a failed case.
    public struct Event: Sendable, Equatable {
        public var name: String
        public var time: Date
        public var attributes: [Attribute]

        public init(name: String, time: Date, attributes: [Attribute]) {
            self.name = name
            self.time = time
            self.attributes = attributes
        }
    }

    public var traceID: String
    /// 16 hex digits.
    public var spanID: String
    /// `nil` for a root span.
    public var parentSpanID: String?
    public var traceState: String?
    public var name: String
    public var kind: Kind
    public var start: Date
    public var end: Date
    public var attributes: [Attribute]
    public var events: [Event]
    public var status: Status

    public init(
        traceID: String,
        spanID: String,
        parentSpanID: String?,
        traceState: String? = nil,
        name: String,
        kind: Kind = .internal,
        start: Date,
        end: Date,
        attributes: [Attribute] = [],
        events: [Event] = [],
        status: Status = .unset
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.traceState = traceState
        self.name = name
        self.kind = kind
        self.start = start
        self.end = max(start, end)
        self.attributes = attributes
        self.events = events
        self.status = status
    }

    /// The value of the attribute `key`, if the span has it.
    public func attribute(_ key: String) -> Attribute.Value? {
        attributes.first { $0.key == key }?.value
    }
}

/// A key and its value, as spans, events and resources carry them.
public struct Attribute: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int)
        case bool(Bool)
        case double(Double)
    }

    public var key: String
    public var value: Value

    public init(_ key: String, _ value: Value) {
        self.key = key
        self.value = value
    }

    public static func string(_ key: String, _ value: String) -> Attribute { Attribute(key, .string(value)) }
    public static func int(_ key: String, _ value: Int) -> Attribute { Attribute(key, .int(value)) }
    public static func bool(_ key: String, _ value: Bool) -> Attribute { Attribute(key, .bool(value)) }
}
