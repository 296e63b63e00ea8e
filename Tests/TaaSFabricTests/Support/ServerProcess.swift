import Foundation

/// The real `taas serve` binary, started as a process of its own (to be killed with SIGKILL).
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    private(set) var port = 0

    /// Starts `taas serve --port 0 --data data` and waits for its "listening" line.
    init(data: URL, arguments: [String] = []) throws {
        process.executableURL = Self.taasBinary
        process.arguments = ["serve", "--port", "0", "--data", data.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw FabricTestError("taas serve ended before listening: \(text)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        // "taas serve: listening on http://127.0.0.1:PORT (data: …)"
        guard let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
            let port = Int(text[range].split(separator: ":").last ?? "")
        else { throw FabricTestError("no port in: \(text)") }
        self.port = port
    }

    /// kill -9.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, and the exit status.
    func terminate() -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
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
