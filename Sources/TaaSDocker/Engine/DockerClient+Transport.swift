import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// How requests travel: building the HTTP request, deadlines, reading answers and turning failures
/// into ``DockerError``s.
extension DockerClient {
    /// A complete answer: status, headers and the whole body.
    struct Response: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data

        var isSuccess: Bool { (200..<300).contains(status) }
    }

    /// The most bytes read from an ordinary answer (JSON documents).
    static let defaultAnswerLimit = 16 << 20

    /// Sends a request and reads the whole answer, whatever its status, within the request's deadline.
    func send(_ request: DockerRequest, maxBytes: Int = defaultAnswerLimit) async throws(DockerError) -> Response {
        try await withDeadline(request) { () async throws(DockerError) -> Response in
            let response = try await self.start(request)
            let body = try await self.collect(response, request, maxBytes: maxBytes)
            return Response(status: Int(response.status.code), headers: response.headers, body: body)
        }
    }

    /// Sends a request whose answer is a stream of JSON progress messages (pull, import), reading them as
    /// they come and failing on the first error message, within the request's deadline.
    ///
    /// - Returns: The last status message, such as the new image's ID after an import.
    @discardableResult
    func sendExpectingProgress(_ request: DockerRequest, what: String) async throws(DockerError) -> String? {
        try await withDeadline(request) { () async throws(DockerError) -> String? in
            let response = try await self.start(request)
            let status = Int(response.status.code)
            guard (200..<300).contains(status) else {
                let body = try await self.collect(response, request, maxBytes: Self.defaultAnswerLimit)
                try self.ensureSuccess(Response(status: status, headers: response.headers, body: body), request)
                return nil
            }
            var progress = DockerProgressStream()
            do {
                for try await chunk in response.body {
                    progress.consume(chunk.readableBytesView)
                }
            } catch {
                throw self.transportError(error, request, whileReading: true)
            }
            progress.finish()
            if let message = progress.error {
                throw DockerError(
                    .apiError,
                    "\(what) failed: the Docker engine reported \"\(message)\"",
                    statusCode: status
                )
            }
            return progress.lastStatus
        }
    }

    /// Reads a whole answer body, failing when it is larger than `maxBytes`.
    private func collect(
        _ response: HTTPClientResponse,
        _ request: DockerRequest,
        maxBytes: Int
    ) async throws(DockerError) -> Data {
        var body = Data()
        do {
            for try await chunk in response.body {
                guard body.count + chunk.readableBytes <= maxBytes else {
                    throw DockerError(
                        .tooLarge,
                        "the Docker engine's answer to \(request.summary) is larger than \(maxBytes) bytes; "
                            + "ask for less (a smaller path) or raise the limit"
                    )
                }
                body.append(contentsOf: chunk.readableBytesView)
            }
        } catch {
            throw transportError(error, request, whileReading: true)
        }
        return body
    }

    /// Runs a whole exchange (request, answer head and body) with the request's deadline: when the time is
    /// up the exchange is cancelled and a ``DockerError/Code/timedOut`` error thrown. (The HTTP client's
    /// own deadline stops applying once the answer's head has arrived, so streamed bodies need this.)
    private func withDeadline<Value: Sendable>(
        _ request: DockerRequest,
        _ operation: @escaping @Sendable () async throws(DockerError) -> Value
    ) async throws(DockerError) -> Value {
        let outcome: Result<Value, DockerError>? = await withTaskGroup(of: Result<Value, DockerError>?.self) { group in
            group.addTask {
                do throws(DockerError) {
                    return .success(try await operation())
                } catch {
                    return .failure(error)
                }
            }
            group.addTask {
                try? await Task.sleep(for: request.timeout)
                return nil  // the deadline passed, or the exchange finished and cancelled this timer
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        switch outcome {
        case .success(let value):
            return value
        case .failure(let error):
            throw error
        case nil:
            if Task.isCancelled {
                throw DockerError(.cancelled, "\(request.summary) was cancelled")
            }
            throw timedOut(request)
        }
    }

    /// The error for a request that did not complete before its deadline.
    private func timedOut(_ request: DockerRequest, cause: (any Error)? = nil) -> DockerError {
        DockerError(
            .timedOut,
            "\(request.summary) did not complete within \(request.timeout) (the engine at \(endpoint) "
                + "is overloaded or stuck, or the operation needs longer); retry, or check the engine with "
                + "`docker info`",
            cause: cause
        )
    }

    /// Throws the matching ``DockerError`` unless the answer's status is 2xx: 404 → not found,
    /// 409 → conflict, anything else → API error, with the engine's `message`.
    func ensureSuccess(_ response: Response, _ request: DockerRequest) throws(DockerError) {
        guard !response.isSuccess else { return }
        let message = Self.engineMessage(in: response.body)
        let reason = message.isEmpty ? "no message" : message
        switch response.status {
        case 404:
            throw DockerError(
                .notFound,
                "\(request.summary): the Docker engine found no such object (\(reason)); check the name or ID",
                statusCode: 404
            )
        case 409:
            throw DockerError(
                .conflict,
                "\(request.summary): the Docker engine reported a conflict (\(reason)); the name may be taken "
                    + "or the object in the wrong state",
                statusCode: 409
            )
        default:
            throw DockerError(
                .apiError,
                "\(request.summary): the Docker engine answered HTTP \(response.status) (\(reason))",
                statusCode: response.status
            )
        }
    }

    /// Decodes a successful JSON answer, throwing the engine's error for any other status.
    func decode<Value: Decodable>(
        _ type: Value.Type,
        from response: Response,
        _ request: DockerRequest
    ) throws(DockerError) -> Value {
        try ensureSuccess(response, request)
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            let excerpt = String(decoding: response.body.prefix(200), as: UTF8.self)
            throw DockerError(
                .badResponse,
                "the Docker engine's answer to \(request.summary) could not be read as \(Value.self) "
                    + "(\(error)); it began: \(excerpt)",
                statusCode: response.status,
                cause: error
            )
        }
    }

    /// Encodes a request body as JSON.
    func encodeJSON(_ value: some Encodable, for what: String) throws(DockerError) -> Data {
        do {
            return try JSONEncoder().encode(value)
        } catch {
            throw DockerError(.badResponse, "\(what) could not be written as JSON: \(error)", cause: error)
        }
    }

    /// The engine's `{"message": "..."}` error text, or the body as text when it is not that.
    static func engineMessage(in body: Data) -> String {
        struct EngineError: Decodable {
            var message: String
        }
        if let error = try? JSONDecoder().decode(EngineError.self, from: body) {
            return error.message
        }
        return String(decoding: body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts a request and waits for the answer's head (the body may still be arriving).
    private func start(_ request: DockerRequest) async throws(DockerError) -> HTTPClientResponse {
        let version = request.versioned ? try await negotiate() : ""
        let uri = request.uri(apiVersion: version)
        guard let url = URL(httpURLWithSocketPath: endpoint.socketPath, uri: uri) else {
            throw DockerError(
                .unsupported,
                "the socket path of \(endpoint) and \(uri) do not form a valid URL; use a plainer socket path"
            )
        }
        var http = HTTPClientRequest(url: url.absoluteString)
        http.method = request.method
        // Go's HTTP server refuses HTTP/1.1 requests without a Host header; a socket has no host name.
        http.headers.add(name: "Host", value: "docker")
        switch request.body {
        case .none:
            break
        case .json(let data):
            http.headers.add(name: "Content-Type", value: "application/json")
            http.body = .bytes(ByteBuffer(bytes: data))
        case .tar(let data):
            http.headers.add(name: "Content-Type", value: "application/x-tar")
            http.body = .bytes(ByteBuffer(bytes: data))
        case .tarFile(let file, let size):
            http.headers.add(name: "Content-Type", value: "application/x-tar")
            http.body = .stream(FileChunks(url: file), length: .known(size))
        }
        logger.debug("Docker API request", metadata: ["request": "\(request.method.rawValue) \(uri)"])
        do {
            return try await httpClient.execute(http, deadline: .now() + TimeAmount(request.timeout))
        } catch {
            throw transportError(error, request, whileReading: false)
        }
    }

    /// Turns an HTTP client or socket error into a ``DockerError``.
    private func transportError(_ error: any Error, _ request: DockerRequest, whileReading: Bool) -> DockerError {
        if let error = error as? DockerError { return error }
        if error is CancellationError {
            return DockerError(.cancelled, "\(request.summary) was cancelled", cause: error)
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return timedOut(request, cause: error)
            case .cancelled:
                return DockerError(.cancelled, "\(request.summary) was cancelled", cause: error)
            case .connectTimeout:
                return .unreachable(endpoint, reason: "connection timed out", cause: error)
            case .alreadyShutdown:
                return DockerError(
                    .unsupported,
                    "\(request.summary) was made after the DockerClient was shut down; "
                        + "create a new client",
                    cause: error
                )
            default:
                break
            }
        }
        if !FileManager.default.fileExists(atPath: endpoint.socketPath) {
            return .unreachable(endpoint, reason: "no such file", cause: error)
        }
        if let error = error as? IOError {
            let reason = String(cString: strerror(error.errnoCode)).lowercased()
            return .unreachable(endpoint, reason: reason, cause: error)
        }
        if whileReading {
            return DockerError(
                .unreachable,
                "the connection to the Docker engine at \(endpoint) broke while reading the answer to "
                    + "\(request.summary) (\(error)); check that the engine is still running",
                cause: error
            )
        }
        return .unreachable(endpoint, reason: "\(error)", cause: error)
    }
}
