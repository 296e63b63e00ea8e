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
        let migrations = ["v1-runs-cases-tokens", "v2-run-trace-id", "v3-workers-leases"]
        #expect(try store.schemaVersion() == migrations)
        // Opening it again migrates nothing and keeps the data.
        let again = try SQLiteRunStore(path: store.path)
        #expect(try again.schemaVersion() == migrations)
    }

    /// The behaviour every store shares, on SQLite.
    @Test(arguments: RunStoreConformance.checks) func conformance(_ check: RunStoreConformance.Check) async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try await check.body(try store())
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
