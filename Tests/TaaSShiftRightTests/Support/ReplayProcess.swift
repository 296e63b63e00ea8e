import Foundation

/// A process a test starts and owns: its stdout and stderr go to a file (never the test's own
/// pipes, which `swift test` reads until every writer closed them), and it is killed with SIGKILL
/// when the value goes away (a child of a test thread inherits its blocked SIGTERM and SIGINT).
final class ReplayProcess {
    let process = Process()
    /// Where its output goes.
    let log: URL

    /// Starts `program` with `arguments`, its output in `log`.
    init(_ program: URL, _ arguments: [String], log: URL, in directory: URL? = nil) throws {
        self.log = log
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.executableURL = program
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// What it printed so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Sends `signal` (the program must have unblocked it: see ``ShopRecording``) and waits up to
    /// `seconds` for the process to end; `true` when it did.
    func signal(_ signal: Int32, waitingUpTo seconds: Double) -> Bool {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        return !process.isRunning
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Runs a program to its end, its output kept in a file; returns its exit status and output.
    static func run(
        _ program: URL,
        _ arguments: [String],
        in directory: URL? = nil
    ) throws -> (
        status: Int32, output: String
    ) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("taas-sr-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let owned = try ReplayProcess(program, arguments, log: log, in: directory)
        owned.process.waitUntilExit()
        return (owned.process.terminationStatus, owned.output)
    }
}

/// A loopback port that nothing listens on now.
func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// Whether something accepts connections on the loopback `port`.
func isListening(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}
