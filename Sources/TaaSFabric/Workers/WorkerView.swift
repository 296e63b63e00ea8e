import Foundation
import Synchronization
import TaaSCore

/// A worker as `GET /v1/workers` and the dashboard show it.
struct WorkerView: Codable, Sendable {
    var workerID: String
    var name: String
    var labels: [String: String]
    var slots: Int
    /// `available` (a slot is free), `busy` (every slot runs), `offline` (no heartbeat for a lease).
    var state: String
    /// The runs it executes now.
    var runs: [String]
    var lastHeartbeat: String

    enum CodingKeys: String, CodingKey {
        case workerID = "worker_id"
        case name, labels, slots, state, runs
        case lastHeartbeat = "last_heartbeat"
    }
}

extension Fabric {
    /// Every worker, this server's own loop first when it executes runs.
    func workerViews(now: Date = Date()) async throws -> [WorkerView] {
        let running = try await store.runs(status: .running)
        func runs(of id: String) -> [String] { running.filter { $0.workerID == id }.map(\.id) }
        func state(_ runs: [String], slots: Int) -> String { runs.count >= slots ? "busy" : "available" }
        var views: [WorkerView] = []
        if configuration.workers > 0 {
            let local = runs(of: WorkerClaim.localID)
            views.append(
                WorkerView(
                    workerID: WorkerClaim.localID,
                    name: "taas serve (this server)",
                    labels: localLabels.withLock { $0 },
                    slots: configuration.workers,
                    state: state(local, slots: configuration.workers),
                    runs: local,
                    lastHeartbeat: TaaSReport.timestamp(now)
                )
            )
        }
        let offlineBefore = now.addingTimeInterval(-Double(configuration.leaseSeconds))
        for worker in try await store.workers() {
            let current = runs(of: worker.id)
            views.append(
                WorkerView(
                    workerID: worker.id,
                    name: worker.name,
                    labels: worker.labels,
                    slots: worker.slots,
                    state: worker.lastHeartbeat < offlineBefore ? "offline" : state(current, slots: worker.slots),
                    runs: current,
                    lastHeartbeat: TaaSReport.timestamp(worker.lastHeartbeat)
                )
            )
        }
        return views
    }
}
