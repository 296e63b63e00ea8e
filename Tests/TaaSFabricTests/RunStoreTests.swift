import Foundation
import TaaSCore
import TaaSFabric
import Testing

/// The SQLite store: WAL, migrations, the queue's claim order, the history's filters and cursor, tokens.
@Suite struct RunStoreTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taas-store-\(UUID().uuidString)")

    func store() throws -> SQLiteRunStore {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try SQLiteRunStore(path: folder.appendingPathComponent("fabric.sqlite").path)
    }

    @Test func theDatabaseIsInWALModeWithItsSchemaVersionRecorded() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try store()
        #expect(try store.journalMode() == "wal")
        let migrations = ["v1-runs-cases-tokens", "v2-run-trace-id"]
        #expect(try store.schemaVersion() == migrations)
        // Opening it again migrates nothing and keeps the data.
        let again = try SQLiteRunStore(path: store.path)
        #expect(try again.schemaVersion() == migrations)
    }

    @Test func aRunsTraceIdIsKeptThroughAnUpdate() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try store()
        var run = FabricRun(id: "traced", scopeID: "s")
        try await store.insert(run)
        #expect(try await store.run(id: "traced")?.traceID == nil)
        run.status = .finished
        run.traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        try await store.update(run)
        #expect(try await store.run(id: "traced")?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test func queuedRunsAreClaimedOldestFirstAndOnlyOnce() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try store()
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

    @Test func simultaneousSubmissionsNeverOvershootTheQueueLimit() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try store()
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

    @Test func theHistoryFiltersAndPagesNewestFirst() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try store()
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

    @Test func tokensAreStoredAsHashesAndComparedExactly() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try store()
        let (token, record) = TokenRecord.generate(name: "ci", role: .submit)
        try await store.insert(record)
        let stored = try await store.tokens()
        #expect(stored.map(\.name) == ["ci"])
        #expect(stored[0].hash != token && !stored[0].hash.contains(token))
        #expect(stored[0].matches(token))
        #expect(!stored[0].matches(token + "x"))
        #expect(!stored[0].matches(""))
        let database = try Data(contentsOf: URL(fileURLWithPath: store.path))
        #expect(database.range(of: Data(token.utf8)) == nil)
        #expect(try await store.revokeToken(named: "ci"))
        #expect(try await !store.revokeToken(named: "ci"))
        #expect(try await store.tokens().isEmpty)
    }
}
