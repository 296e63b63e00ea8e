import Foundation

/// The real `taas serve` binary, started as a process of its own (to be killed with SIGKILL); see
/// ``LoggedProcess``.
final class ServerProcess: @unchecked Sendable {
    let process: LoggedProcess
    let port: Int

    /// Starts `taas serve --port PORT --data data` (port 0: a free one) and waits (at most 60 s)
    /// for its "listening" line.
    init(data: URL, port: Int = 0, arguments: [String] = []) throws {
        // "taas serve: listening on http://127.0.0.1:PORT (data: …)"
        let listening = #"listening on http://127\.0\.0\.1:\d+"#
        process = try LoggedProcess(
            ["serve", "--port", String(port), "--data", data.path] + arguments,
            waitingFor: listening
        )
        self.port = Int(process.match(listening)?.split(separator: ":").last ?? "") ?? 0
    }

    /// What the server printed so far.
    var printed: String { process.printed }

    /// kill -9.
    func kill9() { process.kill9() }

    /// SIGTERM, and the exit status.
    func terminate() -> Int32 { process.terminate() }

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

/// The real `taas worker` binary, registered with a coordinator.
final class WorkerProcess: @unchecked Sendable {
    let process: LoggedProcess
    /// The id the coordinator gave it.
    let workerID: String

    /// Starts `taas worker --server http://127.0.0.1:PORT --name NAME …` and waits for its registration.
    init(port: Int, name: String, arguments: [String] = []) throws {
        let registered = #"registered as w-[0-9a-f]+"#
        process = try LoggedProcess(
            ["worker", "--server", "http://127.0.0.1:\(port)", "--name", name] + arguments,
            waitingFor: registered
        )
        workerID = String(process.match(registered)?.split(separator: " ").last ?? "")
    }

    /// What the worker printed so far.
    var printed: String { process.printed }

    /// The runs it reported (its "run ID: VERDICT in N ms, reported" lines).
    var reported: [String] {
        printed.split(separator: "\n").compactMap { line in
            guard line.hasSuffix(", reported"), let run = line.split(separator: " ").dropFirst(3).first else {
                return nil
            }
            return String(run.dropLast())  // "ID:"
        }
    }

    /// Waits (at most 30 s) until these runs are among those it reported: the coordinator ends a
    /// run when it takes the report, a moment before the worker prints that it was taken.
    func waitUntilReported(_ ids: [String]) async throws {
        for _ in 0..<300 where !Set(ids).isSubset(of: reported) {
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// kill -9.
    func kill9() { process.kill9() }

    /// SIGTERM, and the exit status.
    func terminate() -> Int32 { process.terminate() }
}
