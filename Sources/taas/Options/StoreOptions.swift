import ArgumentParser
import Foundation
import TaaSFabric
import TaaSFabricPostgres

/// `--data` and `--database`, shared by `taas serve` and `taas token`: where the Fabric keeps its
/// runs, tokens and workers — `DIR/fabric.sqlite`, or PostgreSQL (docs/scale-out.md).
struct StoreOptions: ParsableArguments {
    @Option(help: "The data folder: fabric.sqlite (unless --database) and runs/.")
    var data = "taas-data"

    @Option(
        help: ArgumentHelp(
            "Keep runs, tokens, workers and leases in PostgreSQL instead of DIR/fabric.sqlite: postgresql://USER[:PASSWORD]@HOST[:PORT]/DB, or postgresql://USER@/DB?host=/SOCKET/FOLDER (default: TAAS_DATABASE_URL when set).",
            valueName: "url"
        )
    )
    var database: String?

    /// The data folder as a URL.
    var dataFolder: URL { URL(fileURLWithPath: data) }

    /// `--database`, or `TAAS_DATABASE_URL` (which keeps a password out of the process list).
    var databaseURL: String? {
        database ?? ProcessInfo.processInfo.environment["TAAS_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The PostgreSQL store when a database URL is given, connected and migrated; `nil` for SQLite.
    /// A later outage is told on standard error, prefixed with `command`.
    func postgresStore(command: String) async throws(FabricError) -> PostgresRunStore? {
        guard let url = databaseURL else { return nil }
        return try await PostgresRunStore.connect(url: url) { notice in
            FileHandle.standardError.write(Data("\(command): \(notice)\n".utf8))
        }
    }

    /// The store `taas token` works on: PostgreSQL, or the data folder's SQLite database.
    func openStore(command: String) async throws(FabricError) -> any RunStore {
        if let store = try await postgresStore(command: command) { return store }
        let configuration = FabricConfiguration(dataFolder: dataFolder)
        do {
            try FileManager.default.createDirectory(at: configuration.dataFolder, withIntermediateDirectories: true)
        } catch {
            throw FabricError(.dataFolder, "cannot create the data folder \(configuration.dataFolder.path): \(error)")
        }
        return try SQLiteRunStore(path: configuration.databaseFile.path)
    }
}
