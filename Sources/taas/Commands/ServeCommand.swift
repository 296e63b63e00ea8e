import ArgumentParser
import Crypto
import Foundation
import TaaSEngine
import TaaSFabric
import TaaSFabricPostgres
import TaaSIntegrity

/// `taas serve`: the Quality Fabric, the Judge as an HTTP service (see docs/fabric.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Quality Fabric: accept runs over HTTP, run them, remember every verdict.",
        discussion: """
            Listens on 127.0.0.1:8470 by default; any other address is refused unless tokens exist \
            (taas token create). Runs are queued in DIR/fabric.sqlite (or PostgreSQL, with --database) and survive a restart; reports and \
            logs are kept in DIR/runs/<run_id>/. SIGTERM or SIGINT stops accepting, interrupts the runs in \
            progress (their teardown runs) and exits. The API is described in docs/fabric.md.
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port).")
    var port = 8470

    @OptionGroup var store: StoreOptions

    @Option(help: "How many runs this server executes at once itself; 0 leaves every run to taas worker.")
    var workers = 1

    @Option(
        help: ArgumentHelp(
            "How long a taas worker's claim on a run lasts without a heartbeat; then the run is queued again once.",
            valueName: "seconds"
        )
    )
    var leaseSeconds = 30

    @Option(help: "How many runs may wait; one more is answered 429 with Retry-After.")
    var queue = 100

    @Option(help: "The largest upload in MiB (the workspace archive and the scope).")
    var maxUploadMib = 64

    @Option(
        help: ArgumentHelp("A public key whose signed reports POST /v1/reports accepts (repeatable).", valueName: "pub")
    )
    var trustKey: [String] = []

    @Flag(help: "Allow runs to ask for the local sandbox (no isolation).")
    var unsafeLocal = false

    @Option(help: "Where virtualenvs and the sandbox agent are cached (default: TAAS_CACHE_DIR, or a per-user cache).")
    var cacheDir: String?

    @Option(
        help: ArgumentHelp(
            "How many days an ended run keeps its logs and uploaded workspace (its report files and history stay); 0: forever.",
            valueName: "days"
        )
    )
    var retentionDays = 30

    @OptionGroup var telemetry: TelemetryOptions

    func validate() throws {
        guard workers >= 0 else { throw ValidationError("--workers must be 0 or more, not \(workers)") }
        guard (2...3600).contains(leaseSeconds) else {
            throw ValidationError("--lease-seconds must be from 2 to 3600, not \(leaseSeconds)")
        }
        guard queue >= 1 else { throw ValidationError("--queue must be at least 1, not \(queue)") }
        guard maxUploadMib >= 1 else { throw ValidationError("--max-upload-mib must be at least 1") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard retentionDays >= 0 else { throw ValidationError("--retention-days must be 0 (forever) or more") }
    }

    func run() async throws {
        var configuration = FabricConfiguration(dataFolder: store.dataFolder)
        configuration.host = host
        configuration.port = port
        configuration.workers = workers
        configuration.leaseSeconds = leaseSeconds
        configuration.queueLimit = queue
        configuration.maxUploadBytes = maxUploadMib << 20
        configuration.allowUnsafeLocal = unsafeLocal
        if let cacheDir { configuration.cacheDirectory = URL(fileURLWithPath: cacheDir).standardizedFileURL }
        configuration.telemetry = telemetry.recorder()
        configuration.retention = retentionDays == 0 ? nil : .seconds(retentionDays * 86_400)
        do {
            configuration.trustedKeys = try trustKey.map { path throws(IntegrityError) in
                try SigningKeys.readPublicKey(at: URL(fileURLWithPath: path)).rawRepresentation
            }
            let postgres = try await store.postgresStore(command: "taas serve")
            defer { postgres?.close() }
            let server = FabricServer(fabric: try Fabric.open(configuration, store: postgres))
            let host = configuration.host
            let kept =
                postgres.map { "database: \($0.location), files: \(configuration.dataFolder.path)" }
                ?? "data: \(configuration.dataFolder.path)"
            try await server.run { port in
                print("taas serve: listening on http://\(host):\(port) (\(kept))")
                fflush(nil)
            }
        } catch let error as FabricError {
            throw CommandOutcome.error("taas serve: \(error.message)")
        } catch let error as IntegrityError {
            throw CommandOutcome.error("taas serve: --trust-key: \(error.message)")
        }
    }
}
