import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A process a test starts and owns: its output goes to a log file (never the test's own stdout or
/// stderr), and it is killed with SIGKILL when the test is done with it, at the latest in `deinit`
/// (see docs/development.md: children of Foundation's `Process` inherit the test thread's blocked
/// signals, so SIGTERM may never reach them).
final class OwnedProcess: @unchecked Sendable {
    let process = Process()
    /// Where the process's stdout and stderr go.
    let log: URL

    init(_ executable: String, _ arguments: [String], log: URL, workingDirectory: URL? = nil) throws {
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        try process.run()
        try? handle.close()
    }

    deinit { kill() }

    /// Kills the process (SIGKILL) and waits for it.
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Sends a signal and waits up to `seconds` for the process to end; kills it when it does not.
    /// - Returns: whether it ended by itself.
    @discardableResult
    func stop(with signal: Int32, within seconds: Double) async -> Bool {
        guard process.isRunning else { return true }
        Glibc.kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        let ended = !process.isRunning
        kill()
        return ended
    }

    /// The log's text so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Sends a signal and waits up to `seconds` for the process to end, without blocking on a task
    /// (for synchronous set-up code such as a recording's); `true` when it ended by itself.
    func signal(_ signal: Int32, waitingUpTo seconds: Double) -> Bool {
        guard process.isRunning else { return true }
        Glibc.kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        return !process.isRunning
    }

    /// Runs a program to its end with its output in a log file (a temporary one unless given);
    /// returns its exit status and output.
    static func run(
        _ executable: String,
        _ arguments: [String],
        log: URL? = nil,
        in workingDirectory: URL? = nil
    ) throws -> (status: Int32, output: String) {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taas-sr-\(UUID().uuidString).log"
        )
        defer { if log == nil { try? FileManager.default.removeItem(at: temporary) } }
        let owned = try OwnedProcess(executable, arguments, log: log ?? temporary, workingDirectory: workingDirectory)
        owned.process.waitUntilExit()
        return (owned.process.terminationStatus, owned.output)
    }
}

/// Loopback ports for the tests' servers.
enum LoopbackPort {
    /// A port that was free on 127.0.0.1 a moment ago (the kernel's choice for port 0).
    static func free() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until something accepts connections on the port, or `seconds` pass.
    /// - Returns: whether it did.
    static func waitUntilOpen(_ port: Int, within seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if isOpen(port) { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    static func isOpen(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return connected == 0
    }
}
