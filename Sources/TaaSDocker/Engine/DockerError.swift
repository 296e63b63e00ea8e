/// A Docker Engine API call that failed: the engine could not be reached, refused the request,
/// or answered with something this client cannot read.
public struct DockerError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The engine's socket is missing, refuses connections or dropped the connection.
        public static let unreachable = Code("unreachable")
        /// The engine answered 404: no such image, container or path (or a local file is missing).
        public static let notFound = Code("not-found")
        /// The engine answered 409: a name is taken or the object is in the wrong state.
        public static let conflict = Code("conflict")
        /// The engine answered another error status, or reported an error inside a progress stream.
        public static let apiError = Code("api-error")
        /// The endpoint or the engine's API version is not supported by this client.
        public static let unsupported = Code("unsupported")
        /// The engine's answer could not be read (unexpected JSON, a malformed archive, missing header).
        public static let badResponse = Code("bad-response")
        /// The engine's answer, or a file in it, is larger than the limit the caller set.
        public static let tooLarge = Code("too-large")
        /// The request did not complete before its deadline.
        public static let timedOut = Code("timed-out")
        /// The task that made the request was cancelled.
        public static let cancelled = Code("cancelled")
    }

    /// What kind of problem it is.
    public var code: Code
    /// What went wrong and how to fix it.
    public var message: String
    /// The HTTP status the engine answered with, when it answered.
    public var statusCode: Int?
    /// The underlying error (a socket or HTTP client error, a decoding error), if any.
    public var cause: (any Error)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What kind of problem it is.
    ///   - message: What went wrong and how to fix it.
    ///   - statusCode: The HTTP status the engine answered with, if it answered.
    ///   - cause: The underlying error, if any.
    public init(_ code: Code, _ message: String, statusCode: Int? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.statusCode = statusCode
        self.cause = cause
    }

    public var description: String { message }
}

extension DockerError {
    /// The error for an engine that cannot be reached at `endpoint`.
    ///
    /// - Parameters:
    ///   - endpoint: Where the client tried to connect.
    ///   - reason: Why the connection failed, such as "no such file" or "connection refused".
    ///   - cause: The underlying socket or HTTP client error.
    static func unreachable(_ endpoint: DockerEndpoint, reason: String, cause: (any Error)? = nil) -> DockerError {
        DockerError(
            .unreachable,
            "cannot reach the Docker engine at \(endpoint) (\(reason)); "
                + "start one with `scripts/docker-engine start` or set DOCKER_HOST",
            cause: cause
        )
    }
}
