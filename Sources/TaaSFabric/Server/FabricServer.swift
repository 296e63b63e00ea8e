import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import ServiceLifecycle

/// `taas serve`: the Fabric's HTTP API on Hummingbird, and its workers, as one `ServiceGroup`
/// (SIGTERM/SIGINT: stop accepting, interrupt the running runs — their teardown runs — then exit).
public struct FabricServer: Sendable {
    public let fabric: Fabric

    public init(fabric: Fabric) {
        self.fabric = fabric
    }

    /// Refuses a configuration that would expose an open server: a non-loopback address without tokens.
    public func checkStart() async throws {
        let configuration = fabric.configuration
        guard !configuration.isLoopback else { return }
        if try await fabric.store.tokens().isEmpty {
            throw FabricError(
                .configuration,
                "refusing to listen on \(configuration.host) without authentication: create a token first (taas token create --name NAME --role admin --data \(configuration.dataFolder.path)), or listen on 127.0.0.1"
            )
        }
    }

    /// The routes, behind the token check.
    public func router() -> Router<FabricContext> {
        let router = Router(context: FabricContext.self)
        router.add(middleware: TokenAuthenticator(store: fabric.store))
        addSystemRoutes(to: router)
        addRunRoutes(to: router)
        addScopeRoutes(to: router)
        addReportRoutes(to: router)
        addWorkerRoutes(to: router)
        return router
    }

    /// Recovers the store, then serves until a graceful shutdown: SIGTERM or SIGINT with
    /// `handlesSignals`, else that of the `ServiceGroup` it runs in as a service. Stop it that way
    /// rather than by cancelling: a cancelled Hummingbird server traps on the connections it had
    /// accepted but not yet handed to a handler. `onRunning` gets the port listened on (for port 0).
    public func run(
        handlesSignals: Bool = true,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    )
        async throws
    {
        try await checkStart()
        try await fabric.recover()
        var logger = Logger(label: "taas.serve")
        logger.logLevel = .notice
        let configuration = fabric.configuration
        let app = Application(
            router: router(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "taas"
            ),
            services: [WorkerService(fabric: fabric)],
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
        if handlesSignals {
            try await app.runService()  // SIGTERM and SIGINT: graceful shutdown
        } else {
            try await app.run()
        }
    }

    /// `/v1/health`, `/metrics` and `/v1/openapi.json`.
    func addSystemRoutes(to router: Router<FabricContext>) {
        let fabric = self.fabric
        router.get("/v1/openapi.json") { _, context in
            try context.require(.read)
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(data: OpenAPIDocument.json))
            )
        }
        router.get("/") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8",
                    .contentSecurityPolicy: "default-src 'self' 'unsafe-inline'",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(string: DashboardPage.html))
            )
        }
        router.get("/v1/health") { _, _ in
            Response.json(["status": "ok"])
        }
        router.get("/metrics") { _, context in
            try context.require(.read)
            let text = fabric.metrics.text(
                queueDepth: try await fabric.store.queuedCount(),
                executing: fabric.executingCount
            )
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text))
            )
        }
    }
}

/// The workers as a service of the group: graceful shutdown cancels them, which interrupts the runs
/// in progress (their teardown still runs) and waits for them to end.
struct WorkerService: Service {
    let fabric: Fabric

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            await fabric.runWorkers()
        }
    }
}
