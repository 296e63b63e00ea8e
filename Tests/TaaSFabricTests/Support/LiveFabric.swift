import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ServiceLifecycle
import TaaSFabric

/// A real `taas serve` (in process) on a free loopback port with its own data folder, and an HTTP
/// client to talk to it over real sockets.
struct LiveFabric: Sendable {
    let port: Int
    let fabric: Fabric
    let folder: URL

    /// Starts a server, runs `body` against it, and stops it gracefully, as SIGTERM stops `taas serve`.
    ///
    /// Never by cancellation: a cancelled Hummingbird server drops the connections it accepted but
    /// had not yet handed to a handler (a browser opens spare ones), and NIO traps on each
    /// ("Deinited NIOAsyncWriter without calling finish()"), taking the whole test process down.
    static func with<T: Sendable>(
        workers: Int = 2,
        configure: @Sendable (inout FabricConfiguration) -> Void = { _ in },
        _ body: @Sendable (LiveFabric) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taas-fabric-test-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = FabricConfiguration(dataFolder: folder)
        configuration.port = 0
        configuration.workers = workers
        configure(&configuration)
        let fabric = try Fabric.open(configuration)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let server = ServerService(server: FabricServer(fabric: fabric)) { port in portContinuation.yield(port) }
        let group = ServiceGroup(
            configuration: .init(services: [server], gracefulShutdownSignals: [], logger: Logger(label: "taas.test"))
        )
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { portContinuation.finish() }
                try await group.run()
            }
            let outcome: Result<T, any Error>
            var iterator = ports.makeAsyncIterator()
            if let port = await iterator.next() {
                do {
                    outcome = .success(try await body(LiveFabric(port: port, fabric: fabric, folder: folder)))
                } catch {
                    outcome = .failure(error)
                }
            } else {
                outcome = .failure(FabricTestError("the server did not start"))
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try outcome.get()
        }
    }

    /// The server as a service of the test's group, which stops it by graceful shutdown.
    private struct ServerService: Service {
        let server: FabricServer
        let onRunning: @Sendable (Int) async -> Void

        func run() async throws {
            try await server.run(handlesSignals: false, onRunning: onRunning)
        }
    }

    /// One HTTP answer.
    struct Answer: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw FabricTestError("not a JSON object: \(text.prefix(300))")
            }
            return object
        }
    }

    /// Sends a request to the server and collects the whole answer.
    func request(
        _ method: HTTPMethod,
        _ path: String,
        token: String? = nil,
        cookie: String? = nil,
        contentType: String? = nil,
        body: Data? = nil
    ) async throws -> Answer {
        try await Self.request(
            port: port,
            method,
            path,
            token: token,
            cookie: cookie,
            contentType: contentType,
            body: body
        )
    }

    static func request(
        port: Int,
        _ method: HTTPMethod,
        _ path: String,
        token: String? = nil,
        cookie: String? = nil,
        contentType: String? = nil,
        body: Data? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: Data(buffer: collected))
    }

    /// Submits a run (multipart form) and returns the answer.
    func submit(
        scope: String,
        workspace: Data,
        token: String? = nil,
        labels: String? = nil,
        sandbox: String? = nil
    ) async throws -> Answer {
        var fields: [(String, Data)] = [("scope", Data(scope.utf8)), ("workspace", workspace)]
        if let labels { fields.append(("labels", Data(labels.utf8))) }
        if let sandbox { fields.append(("sandbox", Data(sandbox.utf8))) }
        let (contentType, body) = Multipart.form(fields)
        return try await request(.POST, "/v1/runs", token: token, contentType: contentType, body: body)
    }

    /// Follows a run's events until its stream ends (after `run_finished`) and returns the event lines.
    func events(of runID: String, token: String? = nil) async throws -> [String] {
        let answer = try await request(.GET, "/v1/runs/\(runID)/events", token: token)
        return answer.text.split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
    }
}

/// A multipart/form-data body.
enum Multipart {
    static func form(_ fields: [(String, Data)]) -> (contentType: String, body: Data) {
        let boundary = "taas-test-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"".utf8))
            if name == "workspace" { body.append(Data("; filename=\"workspace.tar.gz\"".utf8)) }
            body.append(Data("\r\n\r\n".utf8))
            body.append(value)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return ("multipart/form-data; boundary=\(boundary)", body)
    }
}

struct FabricTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
