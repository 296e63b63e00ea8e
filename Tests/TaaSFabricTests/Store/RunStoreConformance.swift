import Foundation
import TaaSCore
import TaaSFabric
import Testing

/// What every ``RunStore`` does, whatever its database: run by each store's suite on a fresh, empty
/// store (SQLite's in ``RunStoreTests``, PostgreSQL's in its own suite).
enum RunStoreConformance {
    /// One named check (its name shows in the test's arguments).
    struct Check: Sendable, CustomTestStringConvertible {
        var name: String
        var body: @Sendable (any RunStore) async throws -> Void
        var testDescription: String { name }
    }

    static let checks: [Check] = [
        Check(name: "trace id kept through an update", body: aRunsTraceIdIsKeptThroughAnUpdate),
        Check(name: "claimed oldest first and only once", body: queuedRunsAreClaimedOldestFirstAndOnlyOnce),
        Check(name: "queue limit never overshot", body: simultaneousSubmissionsNeverOvershootTheQueueLimit),
        Check(name: "history filters and pages", body: theHistoryFiltersAndPagesNewestFirst),
        Check(name: "a run is claimed only by a worker with its labels", body: aRunIsClaimedOnlyByAWorkerWithItsLabels),
        Check(name: "leases fence out an older attempt", body: leasesFenceOutAnOlderAttempt),
        Check(name: "workers are recorded and heard", body: workersAreRecordedAndTheirHeartbeatsKept),
        Check(name: "tokens stored and revoked", body: tokensAreStoredAndRevoked),
    ]

    static func aRunsTraceIdIsKeptThroughAnUpdate(_ store: any RunStore) async throws {
        var run = FabricRun(id: "traced", scopeID: "s")
        try await store.insert(run)
        #expect(try await store.run(id: "traced")?.traceID == nil)
        run.status = .finished
        run.traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        try await store.update(run)
        #expect(try await store.run(id: "traced")?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    static func queuedRunsAreClaimedOldestFirstAndOnlyOnce(_ store: any RunStore) async throws {
        for index in 0..<3 { try await store.insert(FabricRun(id: "run-\(index)", scopeID: "s")) }
        let claimed = try await withThrowingTaskGroup(of: FabricRun?.self) { group in
            for _ in 0..<5 { group.addTask { try await store.claimNextQueued() } }
            var claimed: [FabricRun] = []
            for try await run in group { if let run { claimed.append(run) } }
            return claimed
        }
        #expect(claimed.map(\.id).sorted() == ["run-0", "run-1", "run-2"])
        #expect(claimed.allSatisfy { $0.status == .running && $0.starts == 1 && $0.startedAt != nil })
        #expect(try await store.claimNextQueued() == nil)
        #expect(try await store.runs(status: .running).map(\.id) == ["run-0", "run-1", "run-2"])
    }

    static func simultaneousSubmissionsNeverOvershootTheQueueLimit(_ store: any RunStore) async throws {
        let accepted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<10 {
                group.addTask { try await store.insertQueued(FabricRun(id: "run-\(index)", scopeID: "s"), limit: 3) }
            }
            var accepted = 0
            for try await ok in group where ok { accepted += 1 }
            return accepted
        }
        #expect(accepted == 3)
        #expect(try await store.queuedCount() == 3)
        // A claimed run can no longer be cancelled as queued; a queued one can, once.
        let claimed = try #require(try await store.claimNextQueued())
        #expect(try await !store.cancelIfQueued(id: claimed.id, message: "x"))
        let waiting = try await store.runs(status: .queued)[0]
        #expect(try await store.cancelIfQueued(id: waiting.id, message: "cancelled"))
        #expect(try await !store.cancelIfQueued(id: waiting.id, message: "cancelled"))
        let cancelled = try #require(try await store.run(id: waiting.id))
        #expect(cancelled.status == .cancelled && cancelled.verdict == .error && cancelled.message == "cancelled")
    }

    static func theHistoryFiltersAndPagesNewestFirst(_ store: any RunStore) async throws {
        for index in 0..<7 {
            var run = FabricRun(
                id: "run-\(index)",
                scopeID: index % 2 == 0 ? "even" : "odd",
                labels: ["commit": "c\(index)", "project": "pilot"]
            )
            run.status = .finished
            run.verdict = index == 3 ? .fail : .pass
            try await store.insert(run)
        }
        let first = try await store.runs(matching: RunQuery(limit: 3))
        #expect(first.runs.map(\.id) == ["run-6", "run-5", "run-4"])
        let second = try await store.runs(matching: RunQuery(limit: 3, cursor: first.nextCursor))
        #expect(second.runs.map(\.id) == ["run-3", "run-2", "run-1"])
        let third = try await store.runs(matching: RunQuery(limit: 3, cursor: second.nextCursor))
        #expect(third.runs.map(\.id) == ["run-0"])
        #expect(third.nextCursor == nil)

        #expect(try await store.runs(matching: RunQuery(scopeID: "odd")).runs.map(\.id) == ["run-5", "run-3", "run-1"])
        #expect(try await store.runs(matching: RunQuery(verdict: .fail)).runs.map(\.id) == ["run-3"])
        #expect(try await store.runs(matching: RunQuery(label: ("commit", "c4"))).runs.map(\.id) == ["run-4"])
        #expect(try await store.runs(matching: RunQuery(label: ("commit", "nope"))).runs.isEmpty)
        let stored = try #require(try await store.run(id: "run-4"))
        #expect(stored.labels == ["commit": "c4", "project": "pilot"])
        #expect(stored.verdict == .pass)
    }

    static func aRunIsClaimedOnlyByAWorkerWithItsLabels(_ store: any RunStore) async throws {
        try await store.insert(FabricRun(id: "needs-docker", scopeID: "s", requires: ["docker": "true"]))
        try await store.insert(FabricRun(id: "plain", scopeID: "s"))
        let bare = WorkerClaim(workerID: "w-bare", labels: ["bwrap": "true"], leaseUntil: nil)
        // The oldest run needs Docker: a worker without it skips it for the next one.
        #expect(try await store.claimNextQueued(for: bare)?.id == "plain")
        #expect(try await store.claimNextQueued(for: bare) == nil)
        let docker = WorkerClaim(workerID: "w-docker", labels: ["docker": "true", "python": "3.11"], leaseUntil: nil)
        let claimed = try #require(try await store.claimNextQueued(for: docker))
        #expect(claimed.id == "needs-docker" && claimed.workerID == "w-docker")
        #expect(try await store.run(id: "needs-docker")?.requires == ["docker": "true"])
    }

    static func leasesFenceOutAnOlderAttempt(_ store: any RunStore) async throws {
        let now = Date()
        try await store.insert(FabricRun(id: "leased", scopeID: "s"))
        let claim = WorkerClaim(workerID: "w-1", labels: [:], leaseUntil: now.addingTimeInterval(30))
        let first = try #require(try await store.claimNextQueued(for: claim))
        #expect(first.starts == 1 && first.workerID == "w-1")
        #expect(abs((first.leaseExpiresAt ?? .distantPast).timeIntervalSince(now.addingTimeInterval(30))) < 0.01)
        // A heartbeat renews the lease it holds and names the one it does not.
        let renewed = try await store.renewLeases(
            workerID: "w-1",
            tickets: [LeaseTicket(runID: "leased", fence: 1), LeaseTicket(runID: "other", fence: 1)],
            until: now.addingTimeInterval(60),
            now: now
        )
        #expect(renewed == ["other"])
        #expect(try await store.expiredLeases(now: now.addingTimeInterval(59)).isEmpty)
        let expired = try await store.expiredLeases(now: now.addingTimeInterval(61))
        #expect(expired.map(\.id) == ["leased"])
        // The lease ran out: the run is queued again (by its current attempt) and claimed by another worker.
        var requeued = try #require(expired.first)
        requeued.status = .queued
        requeued.leaseExpiresAt = nil
        #expect(try await store.updateIfCurrent(requeued))
        let second = try #require(
            try await store.claimNextQueued(
                for: WorkerClaim(workerID: "w-2", labels: [:], leaseUntil: now.addingTimeInterval(90))
            )
        )
        #expect(second.starts == 2 && second.workerID == "w-2")
        // The first worker comes back late: its heartbeat and its result are refused.
        let late = try await store.renewLeases(
            workerID: "w-1",
            tickets: [LeaseTicket(runID: "leased", fence: 1)],
            until: now.addingTimeInterval(120),
            now: now
        )
        #expect(late == ["leased"])
        var stale = first
        stale.status = .finished
        stale.verdict = .fail
        #expect(try await !store.updateIfCurrent(stale))
        var current = second
        current.status = .finished
        current.verdict = .pass
        current.leaseExpiresAt = nil
        #expect(try await store.updateIfCurrent(current))
        let stored = try #require(try await store.run(id: "leased"))
        #expect(stored.verdict == .pass && stored.starts == 2 && stored.workerID == "w-2")
        // An ended run is no attempt's any more.
        #expect(try await !store.updateIfCurrent(current))
    }

    static func workersAreRecordedAndTheirHeartbeatsKept(_ store: any RunStore) async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.upsert(
            WorkerRecord(
                id: "w-b",
                name: "beta",
                labels: ["docker": "true"],
                slots: 2,
                registeredAt: start,
                lastHeartbeat: start
            )
        )
        try await store.upsert(
            WorkerRecord(id: "w-a", name: "alpha", labels: [:], slots: 1, registeredAt: start, lastHeartbeat: start)
        )
        // Registering again replaces what it advertises.
        try await store.upsert(
            WorkerRecord(
                id: "w-b",
                name: "beta",
                labels: ["docker": "false"],
                slots: 4,
                registeredAt: start,
                lastHeartbeat: start
            )
        )
        _ = try await store.renewLeases(workerID: "w-a", tickets: [], until: start, now: start.addingTimeInterval(5))
        let workers = try await store.workers()
        #expect(workers.map(\.id) == ["w-a", "w-b"])
        #expect(workers[0].lastHeartbeat == start.addingTimeInterval(5))
        #expect(workers[1].labels == ["docker": "false"] && workers[1].slots == 4)
        #expect(workers[1].registeredAt == start)
    }

    static func tokensAreStoredAndRevoked(_ store: any RunStore) async throws {
        let (token, record) = TokenRecord.generate(name: "ci", role: .worker)
        try await store.insert(record)
        let stored = try await store.tokens()
        #expect(stored.map(\.name) == ["ci"] && stored[0].role == .worker)
        #expect(stored[0].matches(token) && !stored[0].matches(token + "x"))
        #expect(try await store.revokeToken(named: "ci"))
        #expect(try await !store.revokeToken(named: "ci"))
        #expect(try await store.tokens().isEmpty)
    }
}
