import Foundation

/// A `taas` subcommand started as a process of its own, its output in a log file.
///
/// It never inherits the test process's stdout or stderr: `swift test` reads those through a pipe
/// until every writer has closed it, so a process left running would make `swift test` wait
/// forever after the tests ended. A process still running when its `LoggedProcess` goes away is
/// killed (SIGKILL: a child of Foundation's `Process` inherits a blocked signal mask, so SIGTERM
/// may never reach its default action).
final class LoggedProcess: @unchecked Sendable {
    let process = Process()
    /// What the process printed on stdout and stderr.
    let log: URL

    /// Starts `taas arguments…` and waits (at most `timeout`) until its output matches `ready`;
    /// returns the match.
    init(_ arguments: [String], waitingFor ready: String, timeout: TimeInterval = 60) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("taas-proc-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        process.executableURL = ServerProcess.taasBinary
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while match(ready) == nil {
            guard process.isRunning, Date() < deadline else {
                let reason = process.isRunning ? "did not print \(ready) within \(Int(timeout)) s" : "ended early"
                stop(signal: SIGKILL)
                throw FabricTestError("taas \(arguments.first ?? "") \(reason): \(printed)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    deinit {
        if process.isRunning { stop(signal: SIGKILL) }
        try? FileManager.default.removeItem(at: log)
    }

    /// What the process printed so far.
    var printed: String {
        (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    }

    /// The first match of the regular expression `pattern` in what the process printed.
    func match(_ pattern: String) -> Substring? {
        let text = printed
        return text.range(of: pattern, options: .regularExpression).map { text[$0] }
    }

    /// kill -9.
    func kill9() {
        stop(signal: SIGKILL)
    }

    /// SIGTERM, and the exit status.
    func terminate() -> Int32 {
        stop(signal: SIGTERM)
        return process.terminationStatus
    }

    private func stop(signal: Int32) {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }
}
