import Foundation
import GRDB
import TaaSCore

/// The built-in ``RunStore``: one SQLite database (`DIR/fabric.sqlite`) through GRDB, in WAL mode
/// (a `DatabasePool`: readers never wait for the writer), its schema made by ``migrator``.
public final class SQLiteRunStore: RunStore {
    private let pool: DatabasePool
    /// The database file.
    public let path: String

    /// Opens (creating it when absent) the database at `path` and migrates it to the current schema.
    /// - Throws: ``FabricError`` with code `store` when the file cannot be opened or migrated.
    public init(path: String) throws(FabricError) {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw FabricError(
                .store,
                "cannot open the run store \(path): \(error). Check that the folder is writable and the file is a taas database."
            )
        }
    }

    /// The names of the migrations applied to the database: its schema version.
    public func schemaVersion() throws -> [String] {
        try pool.read { db in try Self.migrator.appliedIdentifiers(db) }.sorted()
    }

    /// The journal mode SQLite reports (`wal`).
    public func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    // MARK: Runs

    public func insert(_ run: FabricRun) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO run (id, scope_id, status, origin, verdict, summary, labels, sandbox, jobs,
                      workspace_digest, created_at, started_at, finished_at, duration_ms, starts, message,
                      trace_id, requires, worker_id, lease_expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: Self.arguments(of: run)
            )
        }
    }

    public func insertQueued(_ run: FabricRun, limit: Int) async throws -> Bool {
        try await pool.write { db in
            let queued = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run WHERE status = 'queued'") ?? 0
            guard queued < limit else { return false }
            try db.execute(
                sql: """
                    INSERT INTO run (id, scope_id, status, origin, verdict, summary, labels, sandbox, jobs,
                      workspace_digest, created_at, started_at, finished_at, duration_ms, starts, message,
                      trace_id, requires, worker_id, lease_expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: Self.arguments(of: run)
            )
            return true
        }
    }

    public func cancelIfQueued(id: String, message: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE run SET status = 'cancelled', verdict = 'error', finished_at = ?, message = ?
                    WHERE id = ? AND status = 'queued'
                    """,
                arguments: [Date().timeIntervalSince1970, message, id]
            )
            return db.changesCount > 0
        }
    }

    public func run(id: String) async throws -> FabricRun? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]).map(Self.run(from:))
        }
    }

    public func claimNextQueued(for claim: WorkerClaim) async throws -> FabricRun? {
        try await pool.write { db in
            // The oldest queued runs, in pages, until one the claimant can serve.
            var after: Int64 = 0
            while true {
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT * FROM run WHERE status = 'queued' AND seq > ? ORDER BY seq LIMIT 100",
                    arguments: [after]
                )
                guard let last = rows.last else { return nil }
                after = last["seq"]
                for row in rows {
                    var run = try Self.run(from: row)
                    guard WorkerClaim.labels(claim.labels, satisfy: run.requires) else { continue }
                    run.status = .running
                    run.starts += 1
                    run.startedAt = Date()
                    run.workerID = claim.workerID
                    run.leaseExpiresAt = claim.leaseUntil
                    try db.execute(
                        sql: """
                            UPDATE run SET status = ?, starts = ?, started_at = ?, worker_id = ?, lease_expires_at = ?
                            WHERE id = ?
                            """,
                        arguments: [
                            run.status.rawValue, run.starts, run.startedAt!.timeIntervalSince1970, run.workerID,
                            run.leaseExpiresAt?.timeIntervalSince1970, run.id,
                        ]
                    )
                    return run
                }
            }
        }
    }

    public func update(_ run: FabricRun) async throws {
        try await pool.write { db in
            try db.execute(
                sql: Self.updateSQL,
                arguments: StatementArguments(Array(Self.values(of: run).dropFirst())) + [run.id]
            )
        }
    }

    public func updateIfCurrent(_ run: FabricRun) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: Self.updateSQL + " AND status = 'running' AND starts = ?",
                arguments: StatementArguments(Array(Self.values(of: run).dropFirst())) + [run.id, run.starts]
            )
            return db.changesCount > 0
        }
    }

    public func renewLeases(
        workerID: String,
        tickets: [LeaseTicket],
        until: Date,
        now: Date
    ) async throws -> [String] {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE worker SET last_heartbeat = ? WHERE id = ?",
                arguments: [now.timeIntervalSince1970, workerID]
            )
            var lost: [String] = []
            for ticket in tickets {
                try db.execute(
                    sql: """
                        UPDATE run SET lease_expires_at = ?
                        WHERE id = ? AND status = 'running' AND starts = ? AND worker_id = ?
                        """,
                    arguments: [until.timeIntervalSince1970, ticket.runID, ticket.fence, workerID]
                )
                if db.changesCount == 0 { lost.append(ticket.runID) }
            }
            return lost
        }
    }

    public func expiredLeases(now: Date) async throws -> [FabricRun] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM run WHERE status = 'running' AND lease_expires_at IS NOT NULL
                    AND lease_expires_at < ? ORDER BY seq
                    """,
                arguments: [now.timeIntervalSince1970]
            ).map(Self.run(from:))
        }
    }

    /// Every column but `id`, set from ``values(of:)`` without its first value, then `WHERE id = ?`.
    private static let updateSQL = """
        UPDATE run SET scope_id = ?, status = ?, origin = ?, verdict = ?, summary = ?, labels = ?,
          sandbox = ?, jobs = ?, workspace_digest = ?, created_at = ?, started_at = ?, finished_at = ?,
          duration_ms = ?, starts = ?, message = ?, trace_id = ?, requires = ?, worker_id = ?, lease_expires_at = ?
        WHERE id = ?
        """

    public func recordCases(_ cases: [FabricCase]) async throws {
        try await pool.write { db in
            for item in cases {
                try db.execute(
                    sql: """
                        INSERT INTO test_case (run_id, scope_id, name, verdict, flaky, message, workspace_digest,
                          finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        item.runID, item.scopeID, item.name, item.verdict.rawValue, item.flaky, item.message,
                        item.workspaceDigest, item.finishedAt.timeIntervalSince1970,
                    ]
                )
            }
        }
    }

    public func runs(matching query: RunQuery) async throws -> RunPage {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let scopeID = query.scopeID {
            conditions.append("scope_id = ?")
            arguments.append(scopeID)
        }
        if let verdict = query.verdict {
            conditions.append("verdict = ?")
            arguments.append(verdict.rawValue)
        }
        if let label = query.label {
            conditions.append("json_extract(labels, ?) = ?")
            arguments.append("$.\"\(label.key.replacingOccurrences(of: "\"", with: ""))\"")
            arguments.append(label.value)
        }
        if let cursor = query.cursor, let seq = Int64(cursor) {
            conditions.append("seq < ?")
            arguments.append(seq)
        }
        let limit = max(1, min(query.limit, 500))
        let sql =
            "SELECT * FROM run" + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY seq DESC LIMIT \(limit + 1)"
        let values = arguments.map { $0?.databaseValue ?? .null }
        let rows: [(run: FabricRun, seq: Int64)] = try await pool.read { db in
            let arguments = StatementArguments(values.map { $0 as (any DatabaseValueConvertible)? })
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                (try Self.run(from: row), row["seq"])
            }
        }
        let page = rows.prefix(limit).map(\.run)
        let next: String? = rows.count > limit ? String(rows[limit - 1].seq) : nil
        return RunPage(runs: page, nextCursor: next)
    }

    public func runs(status: RunStatus) async throws -> [FabricRun] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run WHERE status = ? ORDER BY seq", arguments: [status.rawValue])
                .map(Self.run(from:))
        }
    }

    public func queuedCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run WHERE status = 'queued'") ?? 0 }
    }

    public func finishedRuns(scopeID: String, limit: Int) async throws -> [FabricRun] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM run WHERE scope_id = ? AND status IN ('finished', 'cancelled')
                    ORDER BY seq DESC LIMIT ?
                    """,
                arguments: [scopeID, limit]
            ).map(Self.run(from:))
        }
    }

    public func scopeIDs() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT scope_id FROM run ORDER BY scope_id")
        }
    }

    public func cases(scopeID: String) async throws -> [FabricCase] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM test_case WHERE scope_id = ? ORDER BY id", arguments: [scopeID])
                .map { row in
                    FabricCase(
                        runID: row["run_id"],
                        scopeID: row["scope_id"],
                        name: row["name"],
                        verdict: Verdict(rawValue: row["verdict"]) ?? .error,
                        flaky: row["flaky"],
                        message: row["message"],
                        workspaceDigest: row["workspace_digest"],
                        finishedAt: Date(timeIntervalSince1970: row["finished_at"])
                    )
                }
        }
    }

    // MARK: Workers

    public func upsert(_ worker: WorkerRecord) async throws {
        let labels = StoredJSON.text(of: worker.labels)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO worker (id, name, labels, slots, registered_at, last_heartbeat) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET name = excluded.name, labels = excluded.labels,
                      slots = excluded.slots, last_heartbeat = excluded.last_heartbeat
                    """,
                arguments: [
                    worker.id, worker.name, labels, worker.slots, worker.registeredAt.timeIntervalSince1970,
                    worker.lastHeartbeat.timeIntervalSince1970,
                ]
            )
        }
    }

    public func workers() async throws -> [WorkerRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM worker ORDER BY name, id").map { row in
                WorkerRecord(
                    id: row["id"],
                    name: row["name"],
                    labels: StoredJSON.labels(from: row["labels"]),
                    slots: row["slots"],
                    registeredAt: Date(timeIntervalSince1970: row["registered_at"]),
                    lastHeartbeat: Date(timeIntervalSince1970: row["last_heartbeat"])
                )
            }
        }
    }

    // MARK: Tokens

    public func insert(_ token: TokenRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO token (name, role, hash, created_at) VALUES (?, ?, ?, ?)",
                arguments: [token.name, token.role.rawValue, token.hash, token.createdAt.timeIntervalSince1970]
            )
        }
    }

    public func tokens() async throws -> [TokenRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM token ORDER BY name").map { row in
                TokenRecord(
                    name: row["name"],
                    role: TokenRole(rawValue: row["role"]) ?? .read,
                    hash: row["hash"],
                    createdAt: Date(timeIntervalSince1970: row["created_at"])
                )
            }
        }
    }

    public func revokeToken(named name: String) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM token WHERE name = ?", arguments: [name])
            return db.changesCount > 0
        }
    }

    // MARK: Rows

    private static func values(of run: FabricRun) -> [(any DatabaseValueConvertible)?] {
        [
            run.id, run.scopeID, run.status.rawValue, run.origin.rawValue, run.verdict?.rawValue,
            StoredJSON.text(of: run.summary), StoredJSON.text(of: run.labels), run.sandbox, run.jobs,
            run.workspaceDigest, run.createdAt.timeIntervalSince1970, run.startedAt?.timeIntervalSince1970,
            run.finishedAt?.timeIntervalSince1970, run.durationMS, run.starts, run.message, run.traceID,
            StoredJSON.text(of: run.requires), run.workerID, run.leaseExpiresAt?.timeIntervalSince1970,
        ]
    }

    private static func arguments(of run: FabricRun) -> StatementArguments {
        StatementArguments(values(of: run))
    }

    private static func run(from row: Row) throws -> FabricRun {
        var run = FabricRun(
            id: row["id"],
            scopeID: row["scope_id"],
            status: RunStatus(rawValue: row["status"]) ?? .queued,
            origin: RunOrigin(rawValue: row["origin"]) ?? .server,
            labels: StoredJSON.labels(from: row["labels"]),
            sandbox: row["sandbox"],
            jobs: row["jobs"],
            workspaceDigest: row["workspace_digest"],
            requires: StoredJSON.labels(from: row["requires"]),
            createdAt: Date(timeIntervalSince1970: row["created_at"])
        )
        run.workerID = row["worker_id"]
        run.leaseExpiresAt = (row["lease_expires_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        run.verdict = (row["verdict"] as String?).flatMap(Verdict.init(rawValue:))
        run.summary = StoredJSON.summary(from: row["summary"])
        run.startedAt = (row["started_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        run.finishedAt = (row["finished_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        run.durationMS = row["duration_ms"]
        run.starts = row["starts"]
        run.message = row["message"]
        run.traceID = row["trace_id"]
        return run
    }
}
