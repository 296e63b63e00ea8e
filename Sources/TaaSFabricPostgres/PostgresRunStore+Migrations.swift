import Foundation
import Logging
import PostgresNIO

extension PostgresRunStore {
    /// One named change of the schema; the names are SQLite's (``SQLiteRunStore``), so both stores
    /// say the same schema version.
    struct Migration: Sendable {
        var name: String
        var statements: [String]
    }

    /// The schema, one named migration per change. Times are seconds since 1970 (as in SQLite),
    /// labels are `jsonb` (claims test `requires <@ labels`).
    static let migrations: [Migration] = [
        Migration(
            name: "v1-runs-cases-tokens",
            statements: [
                """
                CREATE TABLE run (
                  seq bigserial PRIMARY KEY,
                  id text NOT NULL UNIQUE,
                  scope_id text NOT NULL,
                  status text NOT NULL,
                  origin text NOT NULL,
                  verdict text,
                  summary text,
                  labels jsonb NOT NULL DEFAULT '{}',
                  sandbox text,
                  jobs bigint NOT NULL DEFAULT 1,
                  workspace_digest text,
                  created_at double precision NOT NULL,
                  started_at double precision,
                  finished_at double precision,
                  duration_ms bigint,
                  starts bigint NOT NULL DEFAULT 0,
                  message text)
                """,
                "CREATE INDEX run_scope_id ON run (scope_id)",
                "CREATE INDEX run_status ON run (status, seq)",
                """
                CREATE TABLE test_case (
                  id bigserial PRIMARY KEY,
                  run_id text NOT NULL,
                  scope_id text NOT NULL,
                  name text NOT NULL,
                  verdict text NOT NULL,
                  flaky boolean NOT NULL,
                  message text,
                  workspace_digest text,
                  finished_at double precision NOT NULL)
                """,
                "CREATE INDEX test_case_run_id ON test_case (run_id)",
                "CREATE INDEX test_case_scope_id ON test_case (scope_id)",
                """
                CREATE TABLE token (
                  name text PRIMARY KEY,
                  role text NOT NULL,
                  hash text NOT NULL UNIQUE,
                  created_at double precision NOT NULL)
                """,
            ]
        ),
        Migration(name: "v2-run-trace-id", statements: ["ALTER TABLE run ADD COLUMN trace_id text"]),
        Migration(
            name: "v3-workers-leases",
            statements: [
                """
                ALTER TABLE run ADD COLUMN requires jsonb NOT NULL DEFAULT '{}',
                  ADD COLUMN worker_id text, ADD COLUMN lease_expires_at double precision
                """,
                """
                CREATE TABLE worker (
                  id text PRIMARY KEY,
                  name text NOT NULL,
                  labels jsonb NOT NULL DEFAULT '{}',
                  slots bigint NOT NULL,
                  registered_at double precision NOT NULL,
                  last_heartbeat double precision NOT NULL)
                """,
            ]
        ),
    ]

    /// An arbitrary key for `pg_advisory_xact_lock`, held while migrating, so that two servers
    /// starting at once against one database do not both apply a migration.
    static let migrationLockKey = 8_470_001

    /// Applies the migrations the database lacks, in one transaction under the advisory lock, and
    /// records each in `taas_migration`.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await drain(connection.query("SELECT pg_advisory_xact_lock(\(migrationLockKey))", logger: logger))
            try await drain(
                connection.query(
                    "CREATE TABLE IF NOT EXISTS taas_migration (name text PRIMARY KEY, applied_at double precision NOT NULL)",
                    logger: logger
                )
            )
            var applied: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM taas_migration", logger: logger)
                .decode(String.self)
            {
                applied.insert(name)
            }
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await drain(connection.query(PostgresQuery(unsafeSQL: statement), logger: logger))
                }
                let now = Date().timeIntervalSince1970
                try await drain(
                    connection.query(
                        "INSERT INTO taas_migration (name, applied_at) VALUES (\(migration.name), \(now))",
                        logger: logger
                    )
                )
            }
        }
    }
}
