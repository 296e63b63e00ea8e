import Foundation

/// A program run to its end by a test, its stdout and stderr kept in a file: never the test's own
/// output pipe, which `swift test` reads until every writer has closed it.
enum Program {
    /// Runs a program to its end; its output goes to a file, never to the test's own stdout.
    /// `environment` is added to this process's. `whileRunning` gets the started process and a reader of its output so far.
    static func run(
        _ program: URL,
        _ arguments: [String],
        in directory: URL? = nil,
        environment: [String: String] = [:],
        whileRunning: ((Process, () -> String) throws -> Void)? = nil
    ) throws -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("taas-st-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try whileRunning?(process) { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
