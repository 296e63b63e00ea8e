import Foundation
import Synchronization

/// The retention of ended runs (``FabricConfiguration/retention``): their logs and uploaded
/// workspaces are pruned once they are older than it, so the data folder's use stays bounded.
extension Fabric {
    /// Prunes every ended run that finished more than the retention ago; returns the ids pruned.
    @discardableResult
    public func pruneExpiredRuns(now: Date = Date()) async -> [String] {
        lastPrune.withLock { $0 = now }
        guard let retention = configuration.retention else { return [] }
        let cutoff = now.addingTimeInterval(-Double(retention.components.seconds))
        var pruned: [String] = []
        for status in [RunStatus.finished, .cancelled] {
            let runs = (try? await store.runs(status: status)) ?? []
            for run in runs where (run.finishedAt ?? now) < cutoff && folder(of: run.id).prune() {
                pruned.append(run.id)
            }
        }
        return pruned
    }

    /// ``pruneExpiredRuns(now:)`` at most once an hour (called after each run).
    func pruneExpiredRunsHourly(now: Date = Date()) async {
        let due = lastPrune.withLock { last in last.map { now.timeIntervalSince($0) >= 3600 } ?? true }
        if due { await pruneExpiredRuns(now: now) }
    }
}
