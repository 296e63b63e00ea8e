import Foundation

/// The real `taas serve` binary, started as a process of its own (to be killed with SIGKILL).
///
/// The server never inherits the test process's stdout or stderr: `swift test` reads those through a
/// pipe until every writer has closed it, so a server left running would make `swift test` wait
/// forever after the tests ended. Its output goes to a log file instead (`log`, quoted by failures),
/// and a server still running when its `ServerProcess` goes away is killed.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    /// What the server printed on stdout and stderr.
    let log: URL
    private(set) var port = 0

    /// Starts `taas serve --port 0 --data data` and waits (at most 60 s) for its "listening" line.
    init(data: URL, arguments: [String] = []) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("taas-serve-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        defer { try? output.close() }
        process.executableURL = Self.taasBinary
        process.arguments = ["serve", "--port", "0", "--data", data.path] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        // "taas serve: listening on http://127.0.0.1:PORT (data: …)"
        while port == 0 {
            if let range = printed.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(printed[range].split(separator: ":").last ?? "") ?? 0
            } else if !process.isRunning || Date() > deadline {
                let reason = process.isRunning ? "did not listen within 60 s" : "ended before listening"
                stop(signal: SIGKILL)
                throw FabricTestError("taas serve \(reason): \(printed)")
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    deinit {
        if process.isRunning { stop(signal: SIGKILL) }
        try? FileManager.default.removeItem(at: log)
    }

    /// What the server printed so far.
    var printed: String {
        (try? String(contentsOf: log, encoding: .utf8)) ?? ""
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

    /// The `taas` executable built next to the test bundle.
    static var taasBinary: URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("taas")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug/taas")
    }
}
