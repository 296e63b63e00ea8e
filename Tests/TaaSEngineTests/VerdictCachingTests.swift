import Foundation
import TaaSCore
import TaaSSandboxes
import Testing

@testable import TaaSEngine

@Suite struct VerdictCachingTests {
    @Test func theKeyNamesTheProgramOfEachRunnerOnTheScopesPath() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taas-tools-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tool = folder.appendingPathComponent("node")
        try Data("#!/bin/sh\n".utf8).write(to: tool)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
        let scope = try RunFixture.scope(
            """
            {"scope_id": "tools", "environment": {"env": {"PATH": "\(folder.path)"}}, "scenarios": [
              {"id": "N", "execution": {"runner": "node", "target": "test"}},
              {"id": "G", "execution": {"runner": "go", "target": "./..."}},
              {"id": "P", "execution": {"runner": "pytest", "target": "tests"}}]}
            """
        )
        let configuration = SandboxConfiguration(
            runID: "r",
            workspace: folder,
            logDirectory: folder,
            cacheDirectory: folder
        )
        let programs = VerdictCaching.programs(of: scope)
        let parts = try await JailSandbox().environmentIdentity(configuration, programs: programs)
        #expect(parts.keys.sorted() == ["python", "python_packages", "tool_go", "tool_node"])
        #expect(parts["tool_node"]?.hasPrefix("\(tool.resolvingSymlinksInPath().path) size=10 modified=") == true)
        #expect(parts["tool_go"] == "not found")
        try Data("#!/bin/sh\nexit 0\n".utf8).write(to: tool)
        #expect(
            try await JailSandbox().environmentIdentity(configuration, programs: programs)["tool_node"]
                != parts["tool_node"]
        )
    }
}
