import Foundation
import TaaSFabric
import Testing

/// `taas gc` and the server's start remove the sandbox folders of runs whose owner is gone, and only those.
@Suite struct OrphanSweeperTests {
    @Test func aFolderOfAGoneRunIsRemovedAndOneInUseIsKept() throws {
        let temporary = URL(fileURLWithPath: ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let gone = temporary.appendingPathComponent("taas-20200101T000000Z-\(suffix)a")
        let inUse = temporary.appendingPathComponent("taas-20200101T000000Z-\(suffix)b")
        let recent = temporary.appendingPathComponent("taas-\(Self.stamp(Date()))-\(suffix)c")
        for folder in [gone, inUse, recent] {
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent("workspace/sub"),
                withIntermediateDirectories: true
            )
        }
        // Read-only leftovers are removed too.
        chmod(gone.appendingPathComponent("workspace/sub").path, 0o500)
        defer { for folder in [gone, inUse, recent] { try? FileManager.default.removeItem(at: folder) } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["5"]
        process.currentDirectoryURL = inUse.appendingPathComponent("workspace")
        try process.run()
        defer {
            // SIGKILL: the child inherits the test thread's blocked signals, SIGTERM among them.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        let removed = OrphanSweeper.sweepAbandonedFolders()
        #expect(removed.map(\.lastPathComponent).contains(gone.lastPathComponent))
        #expect(!FileManager.default.fileExists(atPath: gone.path))
        #expect(FileManager.default.fileExists(atPath: inUse.path))
        #expect(FileManager.default.fileExists(atPath: recent.path))
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}
