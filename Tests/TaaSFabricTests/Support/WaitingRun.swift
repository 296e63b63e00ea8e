import Foundation

/// A ``Scopes/waiting(id:)`` run as a test on the same machine sees it: it is surely still running
/// whenever the test looks, however loaded the machine, until the test releases it.
enum WaitingRun {
    /// The run's sandbox folder on this machine (the jail's, named after the run id).
    static func sandboxFolder(_ id: String) -> String {
        (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/taas-\(id)"
    }

    /// Waits (at most 120 s) until run `id`'s workspace copy exists: its scenario has started.
    static func waitForWorkspace(_ id: String) async throws {
        for _ in 0..<1200 {
            if FileManager.default.fileExists(atPath: sandboxFolder(id) + "/workspace") { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FabricTestError("run \(id) never got a workspace copy in \(sandboxFolder(id))")
    }

    /// Lets the run end: writes `go` into its workspace copy.
    static func release(_ id: String) async throws {
        try await waitForWorkspace(id)
        try Data().write(to: URL(fileURLWithPath: sandboxFolder(id) + "/workspace/go"))
    }
}
