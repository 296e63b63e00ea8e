import Foundation
import TaaSCore

/// Where the Fabric keeps its runs, their test cases and its tokens. ``SQLiteRunStore`` is the built-in
/// one; a PostgreSQL store plugs in by implementing this protocol.
///
/// Every method is atomic on its own: ``claimNextQueued()`` in particular hands a queued run to
/// exactly one worker, even with several servers sharing one store.
public protocol RunStore: Sendable {
    /// Records a new run (queued, or finished when it was uploaded).
    func insert(_ run: FabricRun) async throws
    /// The run with this id, or `nil`.
    func run(id: String) async throws -> FabricRun?
    /// Records a new queued run unless `limit` runs already wait; `false` when the queue is full.
    /// The count and the insert are one transaction, so simultaneous submissions never overshoot.
    func insertQueued(_ run: FabricRun, limit: Int) async throws -> Bool
    /// Ends a run that is still queued as `cancelled` with verdict `error`, in one step (a worker
    /// cannot claim it in between); `false` when it is no longer queued.
    func cancelIfQueued(id: String, message: String) async throws -> Bool
    /// Marks the oldest queued run that `claim` can serve (its ``FabricRun/requires`` are all among
    /// the claim's labels) `running`: counts the start (the new ``FabricRun/starts`` is the lease's
    /// fencing token), records the worker and the lease's end, and returns it; `nil` when none waits.
    /// Several coordinators and workers may claim at once: each run goes to exactly one.
    func claimNextQueued(for claim: WorkerClaim) async throws -> FabricRun?
    /// Saves a run's changed fields (status, verdict, summary, timestamps, message).
    func update(_ run: FabricRun) async throws
    /// Saves `run` only while its attempt still holds it: the stored run is `running` with the same
    /// ``FabricRun/starts``. `false` when a newer attempt (or an end) fenced it out; nothing is saved.
    func updateIfCurrent(_ run: FabricRun) async throws -> Bool
    /// Records worker `workerID`'s heartbeat and extends until `until` the leases of the runs it
    /// still holds among `tickets`; returns the run ids among `tickets` it no longer holds (expired
    /// and re-queued, claimed again, cancelled or ended), which it must stop.
    func renewLeases(workerID: String, tickets: [LeaseTicket], until: Date, now: Date) async throws -> [String]
    /// The running runs whose lease ended before `now`, oldest first.
    func expiredLeases(now: Date) async throws -> [FabricRun]
    /// Records the test cases of a finished run (for the flaky statistics).
    func recordCases(_ cases: [FabricCase]) async throws
    /// Runs matching `query`, newest first, and the cursor of the next page.
    func runs(matching query: RunQuery) async throws -> RunPage
    /// Every run in a given status, oldest first (used at start to recover).
    func runs(status: RunStatus) async throws -> [FabricRun]
    /// How many runs wait in the queue.
    func queuedCount() async throws -> Int
    /// The finished runs of one scope, newest first, at most `limit`.
    func finishedRuns(scopeID: String, limit: Int) async throws -> [FabricRun]
    /// The ids of every scope with a run.
    func scopeIDs() async throws -> [String]
    /// Every recorded case of one scope.
    func cases(scopeID: String) async throws -> [FabricCase]

    /// Records a worker, or replaces the record with the same id (a worker registering again).
    func upsert(_ worker: WorkerRecord) async throws
    /// Every worker, by name then id.
    func workers() async throws -> [WorkerRecord]

    /// Stores a token (its hash only).
    func insert(_ token: TokenRecord) async throws
    /// Every token, by name.
    func tokens() async throws -> [TokenRecord]
    /// Removes the token named `name`; `false` when there was none.
    func revokeToken(named name: String) async throws -> Bool
}

/// Where a run is in its life. `finished` and `cancelled` runs have a verdict.
public enum RunStatus: String, Sendable, Codable, CaseIterable {
    case queued, running, finished, cancelled

    /// Whether the run has ended (it has a verdict and, unless it was cancelled while queued, a report).
    public var isEnded: Bool { self == .finished || self == .cancelled }
}

/// Where a run's report came from.
public enum RunOrigin: String, Sendable, Codable {
    /// Run by this Fabric's workers.
    case server
    /// A report produced elsewhere and sent with `POST /v1/reports`.
    case uploaded
}

/// One run as the Fabric records it.
public struct FabricRun: Sendable, Equatable, Codable {
    /// The run's id; also the report's `run_id` and the name of its folder.
    public var id: String
    public var scopeID: String
    public var status: RunStatus
    public var origin: RunOrigin
    /// `pass`, `fail` or `error` once ended.
    public var verdict: Verdict?
    /// The report's summary once finished.
    public var summary: Summary?
    /// The caller's labels (`{"project": "pilot-api", "commit": "abc"}`).
    public var labels: [String: String]
    /// The sandbox kind asked for (`nil`: the scope's).
    public var sandbox: String?
    /// How many scenarios may run at once.
    public var jobs: Int
    /// The SHA-256 of the uploaded workspace archive's contents (after decompression).
    public var workspaceDigest: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var durationMS: Int?
    /// How many times a worker started the run (a run started twice was interrupted by a crash once).
    public var starts: Int
    /// Why the run ended as it did, when not by its scenarios (cancelled, server died twice).
    public var message: String?
    /// The OpenTelemetry trace id of the run (its report's `telemetry.trace_id`), once it has a report.
    public var traceID: String?
    /// The labels a worker must have to claim the run (`{"docker": "true"}`).
    public var requires: [String: String]
    /// The worker executing (or that last executed) the run: ``WorkerClaim/localID`` or a worker's id.
    public var workerID: String?
    /// When the executing worker's lease ends unless its heartbeat renews it; `nil` when the run is
    /// not leased (not running, or run by the coordinator itself).
    public var leaseExpiresAt: Date?

    public init(
        id: String,
        scopeID: String,
        status: RunStatus = .queued,
        origin: RunOrigin = .server,
        labels: [String: String] = [:],
        sandbox: String? = nil,
        jobs: Int = 1,
        workspaceDigest: String? = nil,
        requires: [String: String] = [:],
        createdAt: Date = Date()
    ) {
        self.id = id
        self.scopeID = scopeID
        self.status = status
        self.origin = origin
        self.labels = labels
        self.sandbox = sandbox
        self.jobs = jobs
        self.workspaceDigest = workspaceDigest
        self.requires = requires
        self.createdAt = createdAt
        self.starts = 0
    }
}

/// One test case of one finished run (a pytest test, or a scenario without cases).
public struct FabricCase: Sendable, Equatable, Codable {
    public var runID: String
    public var scopeID: String
    /// `classname::name`, or the scenario's id for a scenario without cases.
    public var name: String
    public var verdict: Verdict
    /// Passed on a retry.
    public var flaky: Bool
    public var message: String?
    public var workspaceDigest: String?
    public var finishedAt: Date

    public init(
        runID: String,
        scopeID: String,
        name: String,
        verdict: Verdict,
        flaky: Bool,
        message: String?,
        workspaceDigest: String?,
        finishedAt: Date
    ) {
        self.runID = runID
        self.scopeID = scopeID
        self.name = name
        self.verdict = verdict
        self.flaky = flaky
        self.message = message
        self.workspaceDigest = workspaceDigest
        self.finishedAt = finishedAt
    }
}

/// Which runs `GET /v1/runs` lists.
public struct RunQuery: Sendable, Equatable {
    public var scopeID: String?
    public var verdict: Verdict?
    /// A label that must be present with this value.
    public var label: (key: String, value: String)?
    public var limit: Int
    /// The cursor of the previous page (from ``RunPage/nextCursor``).
    public var cursor: String?

    public init(
        scopeID: String? = nil,
        verdict: Verdict? = nil,
        label: (key: String, value: String)? = nil,
        limit: Int = 50,
        cursor: String? = nil
    ) {
        self.scopeID = scopeID
        self.verdict = verdict
        self.label = label
        self.limit = limit
        self.cursor = cursor
    }

    public static func == (lhs: RunQuery, rhs: RunQuery) -> Bool {
        lhs.scopeID == rhs.scopeID && lhs.verdict == rhs.verdict && lhs.label?.key == rhs.label?.key
            && lhs.label?.value == rhs.label?.value && lhs.limit == rhs.limit && lhs.cursor == rhs.cursor
    }
}

/// One page of runs and the cursor of the next (`nil` on the last page).
public struct RunPage: Sendable, Equatable {
    public var runs: [FabricRun]
    public var nextCursor: String?

    public init(runs: [FabricRun], nextCursor: String?) {
        self.runs = runs
        self.nextCursor = nextCursor
    }
}

extension RunStore {
    /// Claims the oldest queued run that requires nothing, for the coordinator's own loop (no lease).
    public func claimNextQueued() async throws -> FabricRun? {
        try await claimNextQueued(for: WorkerClaim(workerID: WorkerClaim.localID, labels: [:], leaseUntil: nil))
    }
}
