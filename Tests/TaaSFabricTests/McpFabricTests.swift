import Foundation
import NIOHTTP1
import TaaSTesting
import Testing

/// `taas mcp --server URL`: an agent's `list_runs` reads a real Fabric's run history, through a real
/// MCP client session (PyPI's `mcp`) over stdio.
@Suite(.serialized) struct McpFabricTests {
    static let client = #"""
        import asyncio, json, os, sys
        from mcp import ClientSession, StdioServerParameters
        from mcp.client.stdio import stdio_client

        def structured(result):
            return getattr(result, "structured_content", None) or getattr(result, "structuredContent", None)

        async def main():
            taas, server, workdir = sys.argv[1], sys.argv[2], sys.argv[3]
            params = StdioServerParameters(command=taas, args=["mcp", "--server", server], cwd=workdir,
                                           env=dict(os.environ))
            seen = {}
            async with stdio_client(params) as (read, write):
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    seen["all"] = structured(await session.call_tool("list_runs", {}))
                    seen["failed"] = structured(await session.call_tool("list_runs", {"verdict": "fail"}))
                    seen["local"] = structured(await session.call_tool("list_runs", {"root": "."}))
            print(json.dumps(seen))

        asyncio.run(main())
        """#

    @Test func listRunsReadsTheFabricsHistory() async throws {
        guard let python = TestTools.python else {
            Issue.record("scripts/test-tools has not been run: the MCP client (PyPI mcp) is missing")
            return
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taas-mcp-fabric-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServerProcess(data: folder.appendingPathComponent("data"))
        var ids: [String: String] = [:]
        for (verdict, scope) in [("fail", Scopes.failing), ("pass", Scopes.passing)] {
            let (contentType, body) = Multipart.form([
                ("scope", Data(scope.utf8)), ("workspace", try Scopes.workspace()),
            ])
            let answer = try await LiveFabric.request(
                port: server.port,
                .POST,
                "/v1/runs",
                contentType: contentType,
                body: body
            )
            ids[verdict] = try #require(try answer.json()["run_id"] as? String, "\(answer.text)")
            // The events stream ends when the run has finished.
            _ = try await LiveFabric.request(port: server.port, .GET, "/v1/runs/\(ids[verdict]!)/events")
        }
        let script = folder.appendingPathComponent("client.py")
        try Data(Self.client.utf8).write(to: script)

        let process = Process()
        process.executableURL = python
        process.arguments = [
            script.path, ServerProcess.taasBinary.path, "http://127.0.0.1:\(server.port)", folder.path,
        ]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(server.terminate() == 0)
        try #require(process.terminationStatus == 0, "\(stderr)")
        let seen = try #require(try JSONSerialization.jsonObject(with: stdout) as? [String: [String: Any]])

        let all = try #require(seen["all"])
        #expect(all["source"] as? String == "fabric")
        let runs = try #require(all["runs"] as? [[String: Any]])
        #expect(runs.map { $0["run_id"] as? String } == [ids["pass"], ids["fail"]], "newest first: \(runs)")
        #expect(runs.map { $0["verdict"] as? String } == ["pass", "fail"])
        let failed = try #require(seen["failed"]?["runs"] as? [[String: Any]])
        #expect(failed.map { $0["run_id"] as? String } == [ids["fail"]])
        // `root` always looks in local folders (here: none with a report).
        #expect(seen["local"]?["source"] as? String == "local")
        #expect((seen["local"]?["runs"] as? [Any])?.isEmpty == true)
    }
}
