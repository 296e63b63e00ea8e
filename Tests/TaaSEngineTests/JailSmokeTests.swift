import Foundation
import Testing
import TaaSCore
@testable import TaaSSandboxes

@Suite struct JailSmokeTests {
    @Test func runsACommandInTheJail() async throws {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        try "hello".write(to: workspace.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("logs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let configuration = SandboxConfiguration(
            runID: UUID().uuidString, workspace: workspace, logDirectory: logs,
            cacheDirectory: URL(fileURLWithPath: "/var/cache/maestro-taas-test"))
        let outcome = try await JailSandbox().withInstance(configuration) { instance in
            try await instance.run(.shell("cat a.txt; id; ls /proc | head -3; echo err >&2; exit 3", label: "one", timeout: .seconds(10)))
        }
        print(outcome)
        #expect(outcome.exitCode == 3)
        #expect(outcome.stdout.tail.hasPrefix("hello"))
    }
}
