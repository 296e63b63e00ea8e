import GRDB

extension SQLiteRunStore {
    /// The schema, one named migration per change; GRDB records the applied ones in the database
    /// (``schemaVersion()``), so an older database is brought up to date when opened.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-runs-cases-tokens") { db in
            try db.create(table: "run") { table in
                table.autoIncrementedPrimaryKey("seq")
                table.column("id", .text).notNull().unique()
                table.column("scope_id", .text).notNull().indexed()
                table.column("status", .text).notNull().indexed()
                table.column("origin", .text).notNull()
                table.column("verdict", .text)
                table.column("summary", .text)
                table.column("labels", .text).notNull().defaults(to: "{}")
                table.column("sandbox", .text)
                table.column("jobs", .integer).notNull().defaults(to: 1)
                table.column("workspace_digest", .text)
                table.column("created_at", .double).notNull()
                table.column("started_at", .double)
                table.column("finished_at", .double)
                table.column("duration_ms", .integer)
                table.column("starts", .integer).notNull().defaults(to: 0)
                table.column("message", .text)
            }
            try db.create(table: "test_case") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("run_id", .text).notNull().indexed()
                table.column("scope_id", .text).notNull().indexed()
                table.column("name", .text).notNull()
                table.column("verdict", .text).notNull()
                table.column("flaky", .boolean).notNull()
                table.column("message", .text)
                table.column("workspace_digest", .text)
                table.column("finished_at", .double).notNull()
            }
            try db.create(table: "token") { table in
                table.primaryKey("name", .text)
                table.column("role", .text).notNull()
                table.column("hash", .text).notNull().unique()
                table.column("created_at", .double).notNull()
            }
        }
        migrator.registerMigration("v2-run-trace-id") { db in
            try db.alter(table: "run") { table in table.add(column: "trace_id", .text) }
        }
        migrator.registerMigration("v3-workers-leases") { db in
            try db.alter(table: "run") { table in
                table.add(column: "requires", .text).notNull().defaults(to: "{}")
                table.add(column: "worker_id", .text)
                table.add(column: "lease_expires_at", .double)
            }
            try db.create(table: "worker") { table in
                table.primaryKey("id", .text)
                table.column("name", .text).notNull()
                table.column("labels", .text).notNull().defaults(to: "{}")
                table.column("slots", .integer).notNull()
                table.column("registered_at", .double).notNull()
                table.column("last_heartbeat", .double).notNull()
            }
        }
        return migrator
    }
}
