/// Where a JSON-lines log record keeps each field: for every field, the names tried in order. A name
/// with dots (`http.method`) is looked up as that key first, then as nested objects (`{"http": {"method": …}}`).
public struct JSONLinesFieldMapping: Sendable, Equatable {
    /// The request's method.
    public var method = ["method", "http.method", "http.request.method", "request.method", "req.method", "verb"]
    /// The request's path and query (or a whole URL).
    public var path = [
        "path", "url", "http.target", "url.path", "http.url", "url.full", "request.path", "request.url", "req.url",
        "uri", "request_uri",
    ]
    /// The answer's status.
    public var status = [
        "status", "status_code", "http.status_code", "http.response.status_code", "response.status",
        "response.status_code", "res.statusCode", "statusCode",
    ]
    /// The record's level (`ERROR`, `error`, `fatal`, …).
    public var level = ["level", "severity", "log.level", "levelname", "severity_text"]
    /// An error or exception: a text, or an object with a type and a message.
    public var error = [
        "error", "exception", "exc_info", "error.message", "exception.message", "err", "stack_trace", "stacktrace",
    ]
    /// The exception's type, when the record keeps it apart.
    public var errorType = ["error.type", "exception.type", "exc_type", "error.kind", "error_type"]
    /// The record's message, used as the error of a record at an error level that has no error field.
    public var message = ["message", "msg", "event"]
    /// What ties records of one request together: a trace id or a request id.
    public var correlation = [
        "trace_id", "request_id", "traceId", "requestId", "trace.id", "http.request_id", "correlation_id", "req_id",
    ]
    /// When the record was written.
    public var time = ["time", "timestamp", "ts", "@timestamp", "asctime", "date"]

    public init() {}

    /// The fields by the names used on the command line (`--field status=res.code`).
    public static let fieldNames = [
        "method", "path", "status", "level", "error", "error_type", "message", "correlation", "time",
    ]

    /// Sets the one name a field is read from.
    /// - Parameters:
    ///   - field: one of ``fieldNames`` (`trace_id` and `request_id` are taken for `correlation`).
    ///   - key: the record's key, dotted for nested objects.
    /// - Throws: ``RecordingError`` for an unknown field name.
    public mutating func set(_ field: String, to key: String) throws(RecordingError) {
        switch field {
        case "method": method = [key]
        case "path", "url": path = [key]
        case "status": status = [key]
        case "level": level = [key]
        case "error", "exception": error = [key]
        case "error_type", "exception_type": errorType = [key]
        case "message": message = [key]
        case "correlation", "trace_id", "request_id": correlation = [key]
        case "time": time = [key]
        default:
            throw RecordingError(
                .malformed,
                file: "--field",
                "unknown field \"\(field)\"; expected one of \(Self.fieldNames.joined(separator: ", ")) (as --field status=res.code)"
            )
        }
    }
}
