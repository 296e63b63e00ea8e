import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// A typed client for the Docker Engine API over the engine's unix socket.
///
/// The first call negotiates the API version (see ``negotiate()``); every later call uses it. Each request
/// has a deadline: ``requestTimeout`` (30 s by default), or ``transferTimeout`` (10 min) for image pulls
/// and imports.
///
/// The client owns an HTTP client. Call ``shutdown()`` when done with it; a client that is dropped without
/// that is shut down in the background.
public final class DockerClient: Sendable {
    /// Where the engine listens.
    public let endpoint: DockerEndpoint
    /// The deadline of ordinary requests.
    public let requestTimeout: Duration
    /// The deadline of image pulls and imports.
    public let transferTimeout: Duration

    let httpClient: HTTPClient
    let logger: Logger
    /// The negotiated API version, once known.
    private let negotiatedVersion = Mutex<String?>(nil)
    private let isShutDown = Mutex(false)

    /// Creates a client. It connects only when a method is called.
    ///
    /// - Parameters:
    ///   - endpoint: Where the engine listens; ``DockerEndpoint/default`` unless given (use
    ///     ``DockerEndpoint/fromEnvironment(_:)`` to honour `DOCKER_HOST`).
    ///   - requestTimeout: The deadline of ordinary requests.
    ///   - transferTimeout: The deadline of image pulls and imports.
    ///   - logger: Where requests are logged, at debug level.
    public init(
        endpoint: DockerEndpoint = .default,
        requestTimeout: Duration = .seconds(30),
        transferTimeout: Duration = .seconds(600),
        logger: Logger = Logger(label: "taas.docker")
    ) {
        self.endpoint = endpoint
        self.requestTimeout = requestTimeout
        self.transferTimeout = transferTimeout
        self.logger = logger
        var configuration = HTTPClient.Configuration()
        // Fail at once when the socket is missing or refuses, instead of retrying until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        configuration.httpVersion = .http1Only
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        self.httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit {
        let alreadyShutDown = isShutDown.withLock { $0 }
        if !alreadyShutDown {
            httpClient.shutdown { _ in }
        }
    }

    /// Closes the client's connections. Later calls fail.
    public func shutdown() async {
        let alreadyShutDown = isShutDown.withLock { state in
            defer { state = true }
            return state
        }
        guard !alreadyShutDown else { return }
        try? await httpClient.shutdown()
    }

    /// The API version this client uses with the engine, asking the engine the first time.
    ///
    /// It is the engine's version (the `Api-Version` header of `GET /_ping`, or `GET /version` when that
    /// header is missing), capped at 1.43, the newest this client speaks.
    ///
    /// - Returns: The version, such as `1.41`.
    /// - Throws: ``DockerError`` with code ``DockerError/Code/unreachable`` when the engine does not answer,
    ///   ``DockerError/Code/unsupported`` when it is older than API 1.25.
    public func negotiate() async throws(DockerError) -> String {
        if let known = negotiatedVersion.withLock({ $0 }) { return known }
        let ping = DockerRequest(method: .GET, path: "/_ping", timeout: requestTimeout, versioned: false)
        let response = try await send(ping)
        try ensureSuccess(response, ping)
        var offered = response.headers.first(name: "Api-Version")
        if offered == nil {
            let request = DockerRequest(method: .GET, path: "/version", timeout: requestTimeout, versioned: false)
            offered = try await decode(EngineVersion.self, from: send(request), request).apiVersion
        }
        guard let text = offered, let server = DockerAPIVersion(text) else {
            throw DockerError(
                .badResponse,
                "the Docker engine at \(endpoint) did not say which API version it speaks "
                    + "(no usable Api-Version header on /_ping or ApiVersion in /version); is it a Docker engine?"
            )
        }
        guard server >= DockerAPIVersion.oldestSupported else {
            throw DockerError(
                .unsupported,
                "the Docker engine at \(endpoint) speaks API \(server), older than the \(DockerAPIVersion.oldestSupported) "
                    + "this client needs; upgrade the engine (Docker 1.13 or later)"
            )
        }
        let chosen = min(server, DockerAPIVersion.newestSupported).description
        negotiatedVersion.withLock { $0 = chosen }
        logger.debug("negotiated Docker API version", metadata: ["engine": "\(server)", "using": "\(chosen)"])
        return chosen
    }

    /// The engine's version (`GET /version`).
    ///
    /// - Returns: The engine's release, API version, OS and architecture.
    /// - Throws: ``DockerError`` when the engine cannot be reached or answers with an error.
    public func version() async throws(DockerError) -> EngineVersion {
        let request = DockerRequest(method: .GET, path: "/version", timeout: requestTimeout)
        return try await decode(EngineVersion.self, from: send(request), request)
    }
}
