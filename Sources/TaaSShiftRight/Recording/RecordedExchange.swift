import Foundation

/// One request seen in production or in a recording, and its answer if there was one: the common
/// shape that every input format (HAR, access logs, JSON lines, OTLP traces) is read into.
public struct RecordedExchange: Sendable, Equatable {
    /// `GET`, `POST`, … in capitals.
    public var method: String
    /// The URL as recorded: absolute for HAR, a path and query for access logs.
    public var url: String
    /// The request's headers in recorded order (never masked here: masking is the writer's job).
    public var requestHeaders: [HTTPField]
    /// The request's body, if it had one.
    public var requestBody: Data?
    /// The answer, or `nil` when none came (a reset connection, a timeout).
    public var response: RecordedResponse?
    /// When the request started, if the recording says.
    public var startedAt: Date?
    /// An error or exception tied to the request (from a log line or a span), if any.
    public var error: String?
    /// Where the exchange was read from.
    public var source: RecordingSource

    public init(
        method: String,
        url: String,
        requestHeaders: [HTTPField] = [],
        requestBody: Data? = nil,
        response: RecordedResponse?,
        startedAt: Date? = nil,
        error: String? = nil,
        source: RecordingSource
    ) {
        self.method = method
        self.url = url
        self.requestHeaders = requestHeaders
        self.requestBody = requestBody
        self.response = response
        self.startedAt = startedAt
        self.error = error
        self.source = source
    }
}

/// A recorded answer.
public struct RecordedResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [HTTPField]
    /// The body; `nil` when the recording did not keep it (access logs keep none).
    public var body: Data?

    public init(status: Int, headers: [HTTPField] = [], body: Data? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// A header as recorded.
public struct HTTPField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Where an exchange came from: the file and the entry (HAR, OTLP) or line (logs) in it, counted from 1.
public struct RecordingSource: Sendable, Equatable {
    public var file: String
    /// `entry` for HAR and OTLP spans, `line` for logs.
    public var unit: String
    public var position: Int

    public init(file: String, unit: String, position: Int) {
        self.file = file
        self.unit = unit
        self.position = position
    }

    /// `access.log line 17`.
    public var display: String { "\((file as NSString).lastPathComponent) \(unit) \(position)" }
}
