import Foundation
import Logging
import PostgresNIO
import Synchronization
import TaaSCore
import TaaSFabric

/// A ``RunStore`` in PostgreSQL (`taas serve --database postgresql://…`), through postgres-nio's
/// connection pool: the same contract as ``SQLiteRunStore`` (one conformance suite runs on both),
/// claims by `SELECT … FOR UPDATE SKIP LOCKED`, and every call rides out a PostgreSQL restart
/// (``PostgresRetry``).
public final class PostgresRunStore: RunStore {
    /// One connection pool and the task running it (cancelled to close it).
    private struct Pool: Sendable {
        var client: PostgresClient
        var task: Task<Void, Never>

        init(_ configuration: PostgresClient.Configuration, logger: Logger) {
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            self.client = client
            task = Task { await client.run() }
        }
    }

    /// The pool in use; replaced by a new one when an attempt had to be abandoned (its connection
    /// stays leased to the abandoned attempt forever, so the old pool would run dry).
    private let pool: Mutex<Pool>
    private let configuration: PostgresClient.Configuration
    private let retry: PostgresRetry
    private let logger: Logger
    /// The URL without its password.
    public let location: String

    private init(configuration: PostgresClient.Configuration, location: String, retry: PostgresRetry, logger: Logger) {
        self.configuration = configuration
        self.location = location
        self.retry = retry
        self.logger = logger
        pool = Mutex(Pool(configuration, logger: logger))
    }

    private var client: PostgresClient { pool.withLock { $0.client } }

    /// Closes the pool `abandoned` and starts a new one, unless that was done already.
    private func replacePool(_ abandoned: PostgresClient) {
        let old: Pool? = pool.withLock { current in
            guard current.client === abandoned else { return nil }
            let old = current
            current = Pool(configuration, logger: logger)
            return old
        }
        old?.task.cancel()
    }

    /// Connects to the database at `url` and migrates it to the current schema.
    /// - Parameters:
    ///   - connectBudget: how long to wait for PostgreSQL to accept the first connection.
    ///   - onOutage: told once per outage when a later call waits for PostgreSQL to come back.
    /// - Throws: ``FabricError`` with code `configuration` (a malformed URL) or `store` (PostgreSQL
    ///   unreachable, the login refused, the schema not migrated).
    public static func connect(
        url: String,
        connectBudget: Duration = .seconds(15),
        onOutage: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws(FabricError) -> PostgresRunStore {
        let parsed = try PostgresURL(url)
        var configuration = parsed.configuration
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = 10
        let logger = {
            var logger = Logger(label: "taas.postgres")
            logger.logLevel = .critical
            return logger
        }()
        let store = PostgresRunStore(
            configuration: configuration,
            location: parsed.description,
            retry: PostgresRetry(onOutage: onOutage),
            logger: logger
        )
        do {
            // postgres-nio's pool keeps a request waiting while it cannot connect (about a minute):
            // the deadline cuts that short.
            try await PostgresRetry.abandoning(after: connectBudget) {
                try await PostgresRetry(budget: connectBudget).run {
                    try await Self.migrate(store.client, logger: logger)
                }
            }
        } catch {
            store.close()
            throw FabricError(
                .store,
                "cannot open the run store \(parsed.description): \(PostgresRetry.describe(error)). Check that PostgreSQL runs there, that the user may log in and create tables in that database, and the URL."
            )
        }
        return store
    }

    /// Closes the connection pool; the store cannot be used afterwards.
    public func close() {
        pool.withLock { $0.task }.cancel()
    }

    /// The names of the migrations applied to the database: its schema version.
    public func schemaVersion() async throws -> [String] {
        try await fetch("SELECT name FROM taas_migration ORDER BY name") { try $0["name"].decode(String.self) }
    }

    // MARK: Runs

    public func insert(_ run: FabricRun) async throws {
        var tries = 0
        try await retry.run {
            tries += 1
            do {
                try await execute(Self.insertQuery(run))
            } catch let error as PSQLError where Self.isDuplicate(error) && tries > 1 {
                // Tried again after a lost answer: the first try landed.
            }
        }
    }

    public func insertQueued(_ run: FabricRun, limit: Int) async throws -> Bool {
        var tries = 0
        return try await retry.run {
            tries += 1
            // Tried again after a lost answer: the first try may have landed.
            if tries > 1, try await self.run(id: run.id) != nil { return true }
            return try await inTransaction { connection in
                // Simultaneous submissions count one after another.
                try await Self.drain(
                    connection.query("SELECT pg_advisory_xact_lock(\(Self.queueLockKey))", logger: self.logger)
                )
                let rows = try await connection.query(
                    "SELECT COUNT(*) FROM run WHERE status = 'queued'",
                    logger: self.logger
                )
                var queued = 0
                for try await count in rows.decode(Int.self) { queued = count }
                guard queued < limit else { return false }
                try await Self.drain(connection.query(Self.insertQuery(run), logger: self.logger))
                return true
            }
        }
    }

    public func cancelIfQueued(id: String, message: String) async throws -> Bool {
        let now = Date().timeIntervalSince1970
        return try await !fetch(
            """
            UPDATE run SET status = 'cancelled', verdict = 'error', finished_at = \(now), message = \(message)
            WHERE id = \(id) AND status = 'queued' RETURNING id
            """
        ) { try $0["id"].decode(String.self) }.isEmpty
    }

    public func run(id: String) async throws -> FabricRun? {
        try await runs("SELECT \(unescaped: Self.runColumns) FROM run WHERE id = \(id)").first
    }

    public func claimNextQueued(for claim: WorkerClaim) async throws -> FabricRun? {
        let labels = StoredJSON.text(of: claim.labels)
        let now = Date().timeIntervalSince1970
        let lease = claim.leaseUntil?.timeIntervalSince1970
        // One statement: the oldest queued run the claimant can serve, locked (runs another claimer
        // holds are skipped, not waited for), and marked running.
        return try await runs(
            """
            UPDATE run SET status = 'running', starts = starts + 1, started_at = \(now),
              worker_id = \(claim.workerID), lease_expires_at = \(lease)
            WHERE seq = (SELECT seq FROM run WHERE status = 'queued' AND requires <@ \(labels)::jsonb
                         ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING \(unescaped: Self.runColumns)
            """
        ).first
    }

    public func update(_ run: FabricRun) async throws {
        _ = try await fetch(Self.updateQuery(run, onlyIfCurrent: false)) { try $0["id"].decode(String.self) }
    }

    public func updateIfCurrent(_ run: FabricRun) async throws -> Bool {
        try await !fetch(Self.updateQuery(run, onlyIfCurrent: true)) { try $0["id"].decode(String.self) }.isEmpty
    }

    public func renewLeases(
        workerID: String,
        tickets: [LeaseTicket],
        until: Date,
        now: Date
    ) async throws -> [String] {
        let (until, now) = (until.timeIntervalSince1970, now.timeIntervalSince1970)
        return try await retry.run {
            try await inTransaction { connection in
                try await Self.drain(
                    connection.query(
                        "UPDATE worker SET last_heartbeat = \(now) WHERE id = \(workerID)",
                        logger: self.logger
                    )
                )
                var lost: [String] = []
                for ticket in tickets {
                    let renewed = try await connection.query(
                        """
                        UPDATE run SET lease_expires_at = \(until)
                        WHERE id = \(ticket.runID) AND status = 'running' AND starts = \(ticket.fence)
                          AND worker_id = \(workerID)
                        RETURNING id
                        """,
                        logger: self.logger
                    )
                    var held = false
                    for try await _ in renewed { held = true }
                    if !held { lost.append(ticket.runID) }
                }
                return lost
            }
        }
    }

    public func expiredLeases(now: Date) async throws -> [FabricRun] {
        let now = now.timeIntervalSince1970
        return try await runs(
            """
            SELECT \(unescaped: Self.runColumns) FROM run WHERE status = 'running'
              AND lease_expires_at IS NOT NULL AND lease_expires_at < \(now) ORDER BY seq
            """
        )
    }

    public func recordCases(_ cases: [FabricCase]) async throws {
        guard !cases.isEmpty else { return }
        try await retry.run {
            try await inTransaction { connection in
                for item in cases {
                    try await Self.drain(
                        connection.query(
                            """
                            INSERT INTO test_case (run_id, scope_id, name, verdict, flaky, message, workspace_digest,
                              finished_at)
                            VALUES (\(item.runID), \(item.scopeID), \(item.name), \(item.verdict.rawValue), \(item.flaky),
                              \(item.message), \(item.workspaceDigest), \(item.finishedAt.timeIntervalSince1970))
                            """,
                            logger: self.logger
                        )
                    )
                }
            }
        }
    }

    public func runs(matching query: RunQuery) async throws -> RunPage {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func bind(_ value: String) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if let scopeID = query.scopeID { conditions.append("scope_id = \(bind(scopeID))") }
        if let verdict = query.verdict { conditions.append("verdict = \(bind(verdict.rawValue))") }
        if let label = query.label { conditions.append("labels ->> \(bind(label.key)) = \(bind(label.value))") }
        if let cursor = query.cursor, let seq = Int64(cursor) {
            conditions.append("seq < \(bind(String(seq)))::bigint")
        }
        let limit = max(1, min(query.limit, 500))
        let sql =
            "SELECT \(Self.runColumns) FROM run"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY seq DESC LIMIT \(limit + 1)"
        let rows: [(run: FabricRun, seq: Int)] = try await fetch(PostgresQuery(unsafeSQL: sql, binds: binds)) {
            (try Self.run(from: $0), try $0["seq"].decode(Int.self))
        }
        let next: String? = rows.count > limit ? String(rows[limit - 1].seq) : nil
        return RunPage(runs: rows.prefix(limit).map(\.run), nextCursor: next)
    }

    public func runs(status: RunStatus) async throws -> [FabricRun] {
        try await runs("SELECT \(unescaped: Self.runColumns) FROM run WHERE status = \(status.rawValue) ORDER BY seq")
    }

    public func queuedCount() async throws -> Int {
        try await fetch("SELECT COUNT(*) AS count FROM run WHERE status = 'queued'") {
            try $0["count"].decode(Int.self)
        }
        .first ?? 0
    }

    public func finishedRuns(scopeID: String, limit: Int) async throws -> [FabricRun] {
        try await runs(
            """
            SELECT \(unescaped: Self.runColumns) FROM run WHERE scope_id = \(scopeID)
              AND status IN ('finished', 'cancelled') ORDER BY seq DESC LIMIT \(limit)
            """
        )
    }

    public func scopeIDs() async throws -> [String] {
        try await fetch("SELECT DISTINCT scope_id FROM run ORDER BY scope_id") {
            try $0["scope_id"].decode(String.self)
        }
    }

    public func cases(scopeID: String) async throws -> [FabricCase] {
        try await fetch("SELECT * FROM test_case WHERE scope_id = \(scopeID) ORDER BY id") { row in
            FabricCase(
                runID: try row["run_id"].decode(String.self),
                scopeID: try row["scope_id"].decode(String.self),
                name: try row["name"].decode(String.self),
                verdict: Verdict(rawValue: try row["verdict"].decode(String.self)) ?? .error,
                flaky: try row["flaky"].decode(Bool.self),
                message: try row["message"].decode(String?.self),
                workspaceDigest: try row["workspace_digest"].decode(String?.self),
                finishedAt: Date(timeIntervalSince1970: try row["finished_at"].decode(Double.self))
            )
        }
    }

    // MARK: Workers

    public func upsert(_ worker: WorkerRecord) async throws {
        try await retry.run {
            try await execute(
                """
                INSERT INTO worker (id, name, labels, slots, registered_at, last_heartbeat)
                VALUES (\(worker.id), \(worker.name), \(StoredJSON.text(of: worker.labels))::jsonb, \(worker.slots),
                  \(worker.registeredAt.timeIntervalSince1970), \(worker.lastHeartbeat.timeIntervalSince1970))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, labels = excluded.labels,
                  slots = excluded.slots, last_heartbeat = excluded.last_heartbeat
                """
            )
        }
    }

    public func workers() async throws -> [WorkerRecord] {
        try await fetch(
            """
            SELECT id, name, labels::text AS labels, slots, registered_at, last_heartbeat FROM worker
            ORDER BY name, id
            """
        ) { row in
            WorkerRecord(
                id: try row["id"].decode(String.self),
                name: try row["name"].decode(String.self),
                labels: StoredJSON.labels(from: try row["labels"].decode(String.self)),
                slots: try row["slots"].decode(Int.self),
                registeredAt: Date(timeIntervalSince1970: try row["registered_at"].decode(Double.self)),
                lastHeartbeat: Date(timeIntervalSince1970: try row["last_heartbeat"].decode(Double.self))
            )
        }
    }

    // MARK: Tokens

    public func insert(_ token: TokenRecord) async throws {
        try await retry.run {
            try await execute(
                """
                INSERT INTO token (name, role, hash, created_at)
                VALUES (\(token.name), \(token.role.rawValue), \(token.hash), \(token.createdAt.timeIntervalSince1970))
                """
            )
        }
    }

    public func tokens() async throws -> [TokenRecord] {
        try await fetch("SELECT name, role, hash, created_at FROM token ORDER BY name") { row in
            TokenRecord(
                name: try row["name"].decode(String.self),
                role: TokenRole(rawValue: try row["role"].decode(String.self)) ?? .read,
                hash: try row["hash"].decode(String.self),
                createdAt: Date(timeIntervalSince1970: try row["created_at"].decode(Double.self))
            )
        }
    }

    public func revokeToken(named name: String) async throws -> Bool {
        try await !fetch("DELETE FROM token WHERE name = \(name) RETURNING name") { try $0["name"].decode(String.self) }
            .isEmpty
    }

    // MARK: Rows

    /// Held while counting and inserting a queued run.
    static let queueLockKey = 8_470_002

    /// The run columns, jsonb read as text.
    static let runColumns = """
        seq, id, scope_id, status, origin, verdict, summary, labels::text AS labels, sandbox, jobs,
        workspace_digest, created_at, started_at, finished_at, duration_ms, starts, message, trace_id,
        requires::text AS requires, worker_id, lease_expires_at
        """

    /// Runs `query` (retried over a restart) on a connection of its own and reads every row it returns.
    private func fetch<T: Sendable>(
        _ query: PostgresQuery,
        _ read: @escaping @Sendable (PostgresRandomAccessRow) throws -> T
    ) async throws -> [T] {
        try await retry.run {
            try await onConnection { connection in
                var values: [T] = []
                for try await row in try await connection.query(query, logger: self.logger) {
                    values.append(try read(row.makeRandomAccess()))
                }
                return values
            }
        }
    }

    /// Runs one statement on a connection of its own (not retried: callers decide), its result read
    /// to the end, so that the connection goes back to the pool idle.
    private func execute(_ query: PostgresQuery) async throws {
        try await onConnection { connection in
            try await Self.drain(connection.query(query, logger: self.logger))
        }
    }

    /// `body` on a pooled connection that is still open, given up after
    /// ``PostgresRetry/attemptLimit`` (see ``PostgresRetry/abandoning(after:_:)``).
    private func onConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let client = self.client
        do {
            return try await PostgresRetry.abandoning {
                try await client.withConnection { connection in
                    guard !connection.isClosed else { throw PostgresRetry.ConnectionLost() }
                    return try await body(connection)
                }
            }
        } catch let error as PostgresRetry.TimedOut {
            replacePool(client)
            throw error
        }
    }

    /// `body` in a transaction (committed when it returns, rolled back when it throws).
    private func inTransaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await onConnection { connection in
            try await connection.withTransaction(logger: self.logger) { try await body($0) }
        }
    }

    /// Reads a result to its end.
    static func drain(_ rows: PostgresRowSequence) async throws {
        for try await _ in rows {}
    }

    private func runs(_ query: PostgresQuery) async throws -> [FabricRun] {
        try await fetch(query, Self.run(from:))
    }

    static func isDuplicate(_ error: PSQLError) -> Bool {
        error.code == .server && error.serverInfo?[.sqlState] == "23505"
    }

    static func insertQuery(_ run: FabricRun) -> PostgresQuery {
        """
        INSERT INTO run (id, scope_id, status, origin, verdict, summary, labels, sandbox, jobs, workspace_digest,
          created_at, started_at, finished_at, duration_ms, starts, message, trace_id, requires, worker_id,
          lease_expires_at)
        VALUES (\(run.id), \(run.scopeID), \(run.status.rawValue), \(run.origin.rawValue), \(run.verdict?.rawValue),
          \(StoredJSON.text(of: run.summary)), \(StoredJSON.text(of: run.labels))::jsonb, \(run.sandbox), \(run.jobs),
          \(run.workspaceDigest), \(run.createdAt.timeIntervalSince1970), \(run.startedAt?.timeIntervalSince1970),
          \(run.finishedAt?.timeIntervalSince1970), \(run.durationMS), \(run.starts), \(run.message), \(run.traceID),
          \(StoredJSON.text(of: run.requires))::jsonb, \(run.workerID), \(run.leaseExpiresAt?.timeIntervalSince1970))
        """
    }

    /// Saves every field of `run`; with `onlyIfCurrent`, only while it is running at the same attempt.
    static func updateQuery(_ run: FabricRun, onlyIfCurrent: Bool) -> PostgresQuery {
        """
        UPDATE run SET scope_id = \(run.scopeID), status = \(run.status.rawValue), origin = \(run.origin.rawValue),
          verdict = \(run.verdict?.rawValue), summary = \(StoredJSON.text(of: run.summary)),
          labels = \(StoredJSON.text(of: run.labels))::jsonb, sandbox = \(run.sandbox), jobs = \(run.jobs),
          workspace_digest = \(run.workspaceDigest), created_at = \(run.createdAt.timeIntervalSince1970),
          started_at = \(run.startedAt?.timeIntervalSince1970), finished_at = \(run.finishedAt?.timeIntervalSince1970),
          duration_ms = \(run.durationMS), starts = \(run.starts), message = \(run.message), trace_id = \(run.traceID),
          requires = \(StoredJSON.text(of: run.requires))::jsonb, worker_id = \(run.workerID),
          lease_expires_at = \(run.leaseExpiresAt?.timeIntervalSince1970)
        WHERE id = \(run.id) AND (NOT \(onlyIfCurrent) OR (status = 'running' AND starts = \(run.starts)))
        RETURNING id
        """
    }

    static func run(from row: PostgresRandomAccessRow) throws -> FabricRun {
        func date(_ column: String) throws -> Date? {
            try row[column].decode(Double?.self).map(Date.init(timeIntervalSince1970:))
        }
        var run = FabricRun(
            id: try row["id"].decode(String.self),
            scopeID: try row["scope_id"].decode(String.self),
            status: RunStatus(rawValue: try row["status"].decode(String.self)) ?? .queued,
            origin: RunOrigin(rawValue: try row["origin"].decode(String.self)) ?? .server,
            labels: StoredJSON.labels(from: try row["labels"].decode(String.self)),
            sandbox: try row["sandbox"].decode(String?.self),
            jobs: try row["jobs"].decode(Int.self),
            workspaceDigest: try row["workspace_digest"].decode(String?.self),
            requires: StoredJSON.labels(from: try row["requires"].decode(String.self)),
            createdAt: try date("created_at") ?? Date(timeIntervalSince1970: 0)
        )
        run.verdict = try row["verdict"].decode(String?.self).flatMap(Verdict.init(rawValue:))
        run.summary = StoredJSON.summary(from: try row["summary"].decode(String?.self))
        run.startedAt = try date("started_at")
        run.finishedAt = try date("finished_at")
        run.durationMS = try row["duration_ms"].decode(Int?.self)
        run.starts = try row["starts"].decode(Int.self)
        run.message = try row["message"].decode(String?.self)
        run.traceID = try row["trace_id"].decode(String?.self)
        run.workerID = try row["worker_id"].decode(String?.self)
        run.leaseExpiresAt = try date("lease_expires_at")
        return run
    }
}
