/// One HTTP request of a scenario's `http` and what its answer must be.
///
/// The URL is always `http://` to a loopback host (`localhost`, `127.0.0.1`, `[::1]`): the request is
/// made from inside the sandbox, whose only network is its own loopback. `{{name}}` in the path,
/// header values and body is replaced by a value captured from an earlier request of the scenario.
public struct HTTPCheck: Sendable, Equatable {
    /// `GET`, `POST`, …
    public var method: String
    /// `localhost`, `127.0.0.1` or `::1`.
    public var host: String
    public var port: Int
    /// The path and query, starting with `/`; may hold `{{name}}` placeholders.
    public var path: String
    /// Request headers, in order.
    public var headers: [HTTPHeader]
    public var body: Body?
    public var expectation: HTTPExpectation
    /// Values read from the answer's JSON for later requests: name → JSONPath such as `$.token`.
    public var captures: [HTTPCapture]

    /// A request body: text as given, or a JSON value (sent with `Content-Type: application/json`).
    public enum Body: Sendable, Equatable {
        case text(String)
        case json(JSONValue)
    }

    public init(
        method: String = "GET",
        host: String,
        port: Int,
        path: String = "/",
        headers: [HTTPHeader] = [],
        body: Body? = nil,
        expectation: HTTPExpectation = HTTPExpectation(),
        captures: [HTTPCapture] = []
    ) {
        self.method = method
        self.host = host
        self.port = port
        self.path = path
        self.headers = headers
        self.body = body
        self.expectation = expectation
        self.captures = captures
    }

    /// The URL as written for people: `GET http://127.0.0.1:3000/health`.
    public var display: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(method) http://\(shownHost):\(port)\(path)"
    }
}

/// One request or answer header.
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A value captured from an answer: `name` ← the JSON value at `path`.
public struct HTTPCapture: Sendable, Equatable {
    public var name: String
    public var path: JSONQuery

    public init(name: String, path: JSONQuery) {
        self.name = name
        self.path = path
    }
}

/// What an HTTP answer must look like; every failed expectation is reported.
public struct HTTPExpectation: Sendable, Equatable {
    /// The status; `nil` expects a 2xx status.
    public var status: ValueMatcher?
    /// Answer headers by name (case-insensitive).
    public var headers: [(name: String, matcher: ValueMatcher)]
    /// Values in the answer's JSON body, by JSONPath.
    public var json: [(path: JSONQuery, matcher: ValueMatcher)]
    /// Texts the body must contain.
    public var bodyContains: [String]
    /// The most milliseconds the exchange may take.
    public var maximumMilliseconds: Int?

    public init(
        status: ValueMatcher? = nil,
        headers: [(name: String, matcher: ValueMatcher)] = [],
        json: [(path: JSONQuery, matcher: ValueMatcher)] = [],
        bodyContains: [String] = [],
        maximumMilliseconds: Int? = nil
    ) {
        self.status = status
        self.headers = headers
        self.json = json
        self.bodyContains = bodyContains
        self.maximumMilliseconds = maximumMilliseconds
    }

    public static func == (lhs: HTTPExpectation, rhs: HTTPExpectation) -> Bool {
        lhs.status == rhs.status && lhs.bodyContains == rhs.bodyContains
            && lhs.maximumMilliseconds == rhs.maximumMilliseconds
            && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.matcher) == rhs.headers.map(\.matcher)
            && lhs.json.map(\.path) == rhs.json.map(\.path) && lhs.json.map(\.matcher) == rhs.json.map(\.matcher)
    }
}
