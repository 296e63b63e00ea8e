import Foundation
import Testing

/// A real PostgreSQL (Debian's, 15) started for one test (``start()``): a cluster copied from one
/// `initdb` made per test process, `pg_ctl start` on a free loopback port and a unix socket in its
/// own folder, trust authentication for the `taas` user, stopped and removed by ``stop()``. As root, every
/// PostgreSQL program runs as the `postgres` user (PostgreSQL refuses to run as root).
final class PostgresServer: @unchecked Sendable {
    /// Where Debian installs the server programs (`initdb`, `pg_ctl`, `postgres`).
    static let binaries: URL? = {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return versions.compactMap(Int.init).sorted().last.map {
            root.appendingPathComponent("\($0)/bin")
        }.flatMap { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("pg_ctl").path) ? $0 : nil }
    }()

    static var isInstalled: Bool { binaries != nil }

    /// Whether PostgreSQL's programs must be started as the `postgres` user.
    static let asRoot = getuid() == 0

    let folder: URL
    let port: Int
    var dataFolder: URL { folder.appendingPathComponent("data") }
    var socketFolder: URL { folder.appendingPathComponent("socket") }
    var logFile: URL { folder.appendingPathComponent("postgres.log") }

    /// The database URL over TCP on 127.0.0.1.
    var url: String { "postgresql://taas@127.0.0.1:\(port)/taas?sslmode=disable" }
    /// The database URL over the unix socket.
    var socketURL: String { "postgresql://taas@/taas?host=\(socketFolder.path)&port=\(port)" }

    private init(folder: URL, port: Int) {
        self.folder = folder
        self.port = port
    }

    /// Starts a new server with an empty database `taas` owned by the user `taas`. Every wait is
    /// asynchronous: a test blocking a thread of the cooperative pool slows every other test.
    static func start() async throws -> PostgresServer {
        guard binaries != nil else { throw FabricTestError("PostgreSQL is not installed (scripts/setup)") }
        let template = try await templateCluster.value
        let server = PostgresServer(
            folder: FileManager.default.temporaryDirectory.appendingPathComponent("taas-pg-\(UUID().uuidString)"),
            port: try freePort()
        )
        try FileManager.default.createDirectory(at: server.socketFolder, withIntermediateDirectories: true)
        try await spawn(["/bin/cp", "-a", template.path, server.dataFolder.path])
        try await ownByServer(server.folder)
        try await server.startServer()
        return server
    }

    deinit { stop() }

    /// `pg_ctl start`, waiting until it accepts connections.
    private func startServer() async throws {
        try await Self.run(
            "pg_ctl",
            [
                "-D", dataFolder.path, "-l", logFile.path, "-w", "-t", "120", "-o",
                "-p \(port) -k \(socketFolder.path) -c listen_addresses=127.0.0.1 -c fsync=off", "start",
            ]
        )
    }

    /// `pg_ctl stop -m fast`: connections are cut and the server shuts down cleanly.
    func restart(pause: Duration = .seconds(2)) async throws {
        try await Self.run("pg_ctl", ["-D", dataFolder.path, "-m", "fast", "-w", "stop"])
        try await Task.sleep(for: pause)
        try await startServer()
    }

    /// Stops the server (immediately: a fraction of a second) and removes its folder.
    func stop() {
        guard FileManager.default.fileExists(atPath: folder.path), let binaries = Self.binaries else { return }
        let pgCtl = binaries.appendingPathComponent("pg_ctl").path
        let stop = [pgCtl, "-D", dataFolder.path, "-m", "immediate", "-w", "stop"]
        if let pid = try? Self.launch(
            Self.asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + stop : stop,
            input: "/dev/null",
            output: "/dev/null"
        ) {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// What the server logged (for failure messages).
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    // MARK: The template cluster

    private static let templateRoot = FileManager.default.temporaryDirectory.appendingPathComponent(
        "taas-pg-template-\(getpid())"
    )

    /// One `initdb` per test process (about a second), copied by each server.
    private static let templateCluster = Task<URL, any Error> {
        let root = templateRoot
        try? FileManager.default.removeItem(at: root)
        atexit { try? FileManager.default.removeItem(at: PostgresServer.templateRoot) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try await ownByServer(root)
        let data = root.appendingPathComponent("data")
        try await run("initdb", ["-D", data.path, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
        // The user and database the tests connect as, made in single-user mode (no server needed).
        let setup = "CREATE ROLE taas LOGIN;\nCREATE DATABASE taas OWNER taas;\n"
        try await run("postgres", ["--single", "-D", data.path, "postgres"], input: setup)
        return data
    }

    private static func ownByServer(_ folder: URL) async throws {
        guard asRoot else { return }
        try await spawn(["/bin/chown", "-R", "postgres:postgres", folder.path])
    }

    /// Runs a PostgreSQL program (as `postgres` when root); throws with its output when it fails.
    private static func run(_ program: String, _ arguments: [String], input: String? = nil) async throws {
        guard let binaries else { throw FabricTestError("PostgreSQL is not installed") }
        let path = binaries.appendingPathComponent(program).path
        let argv = asRoot ? ["/usr/sbin/runuser", "-u", "postgres", "--", path] + arguments : [path] + arguments
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("taas-pg-\(UUID().uuidString)")
        let (inputFile, outputFile) = (scratch.path + ".in", scratch.path + ".out")
        defer { for file in [inputFile, outputFile] { try? FileManager.default.removeItem(atPath: file) } }
        FileManager.default.createFile(atPath: inputFile, contents: Data((input ?? "").utf8))
        do {
            try await spawn(argv, input: inputFile, output: outputFile)
        } catch {
            let printed = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
            throw FabricTestError("\(program) \(arguments.joined(separator: " ")): \(error) \(printed)")
        }
    }

    /// Runs `argv` to its end without holding a thread (`waitpid` with `WNOHANG`, then a sleep);
    /// throws when it exits non-zero.
    private static func spawn(_ argv: [String], input: String = "/dev/null", output: String = "/dev/null") async throws
    {
        let pid = try launch(argv, input: input, output: output)
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { break }
            guard done == 0 || errno == EINTR else {
                throw FabricTestError("waitpid(\(argv[0])) failed: errno \(errno)")
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        // WIFEXITED / WEXITSTATUS (macros Swift does not import).
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard code == 0 else { throw FabricTestError("\(argv.joined(separator: " ")) exited \(code)") }
    }

    /// `posix_spawn`: Foundation's `Process` once never saw `pg_ctl start` end (its child, the
    /// server, lives on), and left the test waiting forever. The child starts with no signal blocked.
    private static func launch(_ argv: [String], input: String, output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, environ)
        guard spawned == 0 else { throw FabricTestError("cannot start \(argv[0]): error \(spawned)") }
        return pid
    }

    /// A loopback port nothing listens on now (the kernel's choice for port 0).
    static func freePort() throws -> Int {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw FabricTestError("socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw FabricTestError("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
