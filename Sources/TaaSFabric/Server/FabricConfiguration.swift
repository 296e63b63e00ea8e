import Crypto
import Foundation
import TaaSCore
import TaaSEngine

/// How `taas serve` runs: where it listens, where it keeps its data, how many runs at once.
public struct FabricConfiguration: Sendable {
    /// The address to listen on; anything but loopback needs tokens (see ``Fabric/checkStart()``).
    public var host: String = "127.0.0.1"
    /// The port; 0 picks a free one (the tests).
    public var port: Int = 8470
    /// `DIR`: the database (`fabric.sqlite`) and the runs' folders (`runs/`).
    public var dataFolder: URL
    /// How many runs this server executes at once itself; 0 leaves every run to remote workers.
    public var workers: Int = 1
    /// How long a remote worker's claim on a run lasts unless its heartbeat renews it; a run whose
    /// lease ran out is queued again once (`--lease-seconds`).
    public var leaseSeconds: Int = 30
    /// How often remote workers are asked to send their heartbeat: five times per lease.
    public var heartbeatSeconds: Double { max(0.2, Double(leaseSeconds) / 5) }
    /// How many runs may wait in the queue; one more is answered 429.
    public var queueLimit: Int = 100
    /// The largest upload (the workspace archive with the rest of the form), in bytes.
    public var maxUploadBytes: Int = 64 << 20
    /// The limits on the unpacked workspace.
    public var archiveLimits = WorkspaceArchive.Limits()
    /// The Ed25519 public keys (raw representation) whose signatures `POST /v1/reports` accepts
    /// (`--trust-key`).
    public var trustedKeys: [Data] = []
    /// Whether a run may ask for the `local` sandbox (no isolation).
    public var allowUnsafeLocal = false
    /// Where virtualenvs and the agent are cached (as `taas run --cache-dir`).
    public var cacheDirectory: URL = CacheLocation.default
    /// The seconds a client is told to wait when the queue is full.
    public var retryAfterSeconds = 5
    /// How long an ended run keeps its logs and its uploaded workspace (`--retention-days`); after
    /// that only its report files, events and database row remain. `nil`: kept forever.
    public var retention: Duration? = .seconds(30 * 86_400)
    /// Records each run's trace (`trace.json` beside its report, and an export when a collector is
    /// configured); its trace id is kept with the run. `nil`: runs have no trace.
    public var telemetry: (any RunTelemetry)?

    public init(dataFolder: URL) {
        self.dataFolder = dataFolder.standardizedFileURL
    }

    /// Whether ``host`` is a loopback address.
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The database file.
    public var databaseFile: URL { dataFolder.appendingPathComponent("fabric.sqlite") }
}
