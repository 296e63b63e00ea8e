import Foundation

/// A worker as the coordinator knows it: a `taas worker` on some machine (or the coordinator's own
/// executing loop, ``WorkerClaim/localID``), what it advertises, and when it was last heard from.
public struct WorkerRecord: Sendable, Equatable, Codable {
    /// The coordinator's id for it (`w-` and 12 hex digits), given at registration.
    public var id: String
    /// The name it registered with (the host name by default).
    public var name: String
    /// What it has and serves: its detected capabilities (`docker=true`, `bwrap=true`, `python=3.11`)
    /// and the labels its operator gave (`--labels`).
    public var labels: [String: String]
    /// How many runs it executes at once.
    public var slots: Int
    public var registeredAt: Date
    public var lastHeartbeat: Date

    public init(
        id: String,
        name: String,
        labels: [String: String],
        slots: Int,
        registeredAt: Date = Date(),
        lastHeartbeat: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.labels = labels
        self.slots = slots
        self.registeredAt = registeredAt
        self.lastHeartbeat = lastHeartbeat
    }
}

/// Who claims a run from the queue, and for how long it holds it.
public struct WorkerClaim: Sendable, Equatable {
    /// The id of the coordinator's own executing loop (`taas serve --workers N`, N ≥ 1).
    public static let localID = "local"

    /// The claiming worker's id.
    public var workerID: String
    /// What the worker has: only runs whose ``FabricRun/requires`` are all among these are claimed.
    public var labels: [String: String]
    /// When the lease ends unless renewed by a heartbeat; `nil` for the coordinator's own loop
    /// (its runs are recovered when it restarts, see ``Fabric/recover()``).
    public var leaseUntil: Date?

    public init(workerID: String, labels: [String: String], leaseUntil: Date?) {
        self.workerID = workerID
        self.labels = labels
        self.leaseUntil = leaseUntil
    }

    /// Whether a worker with these labels can serve a run that requires `requires`.
    public static func labels(_ labels: [String: String], satisfy requires: [String: String]) -> Bool {
        requires.allSatisfy { labels[$0.key] == $0.value }
    }
}

/// A run a worker holds, at one attempt: the attempt number is the lease's fencing token. A report
/// or an event sent under an older attempt than the run's current one is refused.
public struct LeaseTicket: Sendable, Equatable, Codable {
    public var runID: String
    /// The run's ``FabricRun/starts`` when the worker claimed it.
    public var fence: Int

    public init(runID: String, fence: Int) {
        self.runID = runID
        self.fence = fence
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case fence
    }
}
