import ArgumentParser
import Foundation
import TaaSEngine
import TaaSFabric

/// `taas worker`: executes a coordinator's runs on this machine (see docs/scale-out.md).
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Execute runs for a Fabric coordinator (taas serve) on this machine.",
        discussion: """
            Registers with the coordinator, advertising what this machine has (docker, bwrap, python) \
            plus --labels, then claims the runs those labels can serve, judges each in a local sandbox, \
            streams its events back and uploads its report. A heartbeat renews the lease of each run it \
            holds; if the worker dies, the coordinator queues the run again once the lease ends \
            (taas serve --lease-seconds). SIGTERM or SIGINT interrupts the runs in progress (their \
            teardown runs) and exits; those runs are queued again. The token needs the worker role: \
            taas token create NAME --role worker.
            """
    )

    @Option(help: ArgumentHelp("The coordinator's URL (default: TAAS_SERVER).", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("A worker token (default: TAAS_TOKEN).", valueName: "token"))
    var token: String?

    @Option(help: "How many runs this worker executes at once.")
    var slots = 1

    @Option(
        help: ArgumentHelp(
            "Labels to advertise besides the detected ones, such as gpu=true or zone=b (repeatable, or k=v,k=v).",
            valueName: "key=value"
        )
    )
    var labels: [String] = []

    @Option(help: "The name shown in GET /v1/workers and the dashboard (default: the host name).")
    var name: String?

    @Option(help: "Where each run's workspace and report are kept while it runs (default: a temporary folder).")
    var workDir: String?

    @Option(help: "Where virtualenvs and the sandbox agent are cached (default: TAAS_CACHE_DIR, or a per-user cache).")
    var cacheDir: String?

    @Flag(help: "Serve runs that ask for the local sandbox (no isolation).")
    var unsafeLocal = false

    @OptionGroup var telemetry: TelemetryOptions

    func validate() throws {
        guard (1...64).contains(slots) else { throw ValidationError("--slots must be from 1 to 64, not \(slots)") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let server = server ?? environment["TAAS_SERVER"], !server.isEmpty else {
            throw CommandOutcome.error("taas worker: --server URL (or TAAS_SERVER) is needed: the coordinator's URL")
        }
        var advertised = await WorkerCapabilities.detect(allowUnsafeLocal: unsafeLocal)
        do {
            advertised.merge(try RunRequirements.parse(labels.joined(separator: ","))) { _, given in given }
        } catch {
            throw CommandOutcome.error(
                "taas worker: --labels: \(error.message.replacingOccurrences(of: "requires: ", with: ""))"
            )
        }
        let work =
            workDir.map { URL(fileURLWithPath: $0).standardizedFileURL }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("taas-worker-\(getpid())")
        let worker = RemoteWorker(
            client: FabricClient(server: server, token: token ?? environment["TAAS_TOKEN"]),
            name: name ?? ProcessInfo.processInfo.hostName,
            slots: slots,
            labels: advertised,
            allowUnsafeLocal: unsafeLocal,
            cacheDirectory: cacheDir.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? CacheLocation.default,
            workFolder: work,
            telemetry: telemetry.recorder(environment: environment)
        ) { line in
            FileHandle.standardOutput.write(Data("taas worker: \(line)\n".utf8))
        }
        defer { if workDir == nil { try? FileManager.default.removeItem(at: work) } }
        let task = Task { try await worker.run() }
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { _ in task.cancel() }
        defer { signals.cancel() }
        do {
            try await task.value
        } catch let failure as FabricClient.Failure {
            throw CommandOutcome.error("taas worker: \(server) refused this worker: \(failure.message)")
        } catch is CancellationError {
            print("taas worker: stopped")
        }
    }
}
