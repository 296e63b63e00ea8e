import Foundation
import TaaSCore
import TaaSTesting
import Testing

/// `taas mcp` driven by a real MCP client (PyPI's `mcp`, from `scripts/test-tools`) over stdio:
/// initialize, list the tools, validate a bad scope, run a small scope with progress, read the
/// report back and list the runs.
@Suite(.serialized) struct McpSessionTests {
    /// The client session, as a Python script that prints what it saw as one JSON object.
    static let client = #"""
        import asyncio, json, os, sys
        from mcp import ClientSession, StdioServerParameters
        from mcp.client.stdio import stdio_client

        def field(obj, name):
            """A result's field by its protocol name (mcp 1.x, camelCase) or its Python name (2.x, snake_case)."""
            snake = "".join("_" + c.lower() if c.isupper() else c for c in name)
            return getattr(obj, snake) if hasattr(obj, snake) else getattr(obj, name)

        async def main():
            taas, workdir = sys.argv[1], sys.argv[2]
            params = StdioServerParameters(command=taas, args=["mcp"], cwd=workdir, env=dict(os.environ))
            seen = {}
            async with stdio_client(params) as (read, write):
                async with ClientSession(read, write) as session:
                    init = await session.initialize()
                    seen["protocol"] = field(init, "protocolVersion")
                    seen["server"] = field(init, "serverInfo").name
                    listed = await session.list_tools()
                    seen["tools"] = {
                        tool.name: {
                            "read_only": field(tool.annotations, "readOnlyHint"),
                            "destructive": field(tool.annotations, "destructiveHint"),
                            "idempotent": field(tool.annotations, "idempotentHint"),
                            "schema": field(tool, "inputSchema"),
                        }
                        for tool in listed.tools
                    }
                    bad = await session.call_tool("validate_scope", {"scope_path": "bad.json"})
                    seen["validate_bad"] = {"is_error": field(bad, "isError"), "structured": field(bad, "structuredContent")}
                    missing = await session.call_tool("validate_scope", {"scope_path": "nowhere"})
                    seen["validate_missing"] = field(missing, "structuredContent")
                    inline = await session.call_tool(
                        "validate_scope", {"scope": {"scope_id": "inline", "scenarios": [{"id": "A", "command": "true"}]}}
                    )
                    seen["validate_inline"] = field(inline, "structuredContent")
                    progress = []

                    async def on_progress(value, total, message):
                        progress.append([value, total, message])

                    run = await session.call_tool(
                        "run_scope", {"scope_path": ".", "out": "out"}, progress_callback=on_progress
                    )
                    seen["run"] = {"is_error": field(run, "isError"), "structured": field(run, "structuredContent"),
                                   "text": run.content[0].text}
                    seen["progress"] = progress
                    rerun = await session.call_tool(
                        "run_scope", {"scope_path": ".", "out": "out", "rerun_failed": True}
                    )
                    seen["rerun"] = field(rerun, "structuredContent")
                    report = await session.call_tool("get_report", {"report_path": "out"})
                    seen["report"] = field(report, "structuredContent")
                    runs = await session.call_tool("list_runs", {})
                    seen["runs"] = field(runs, "structuredContent")
                    passed = await session.call_tool("list_runs", {"verdict": "pass"})
                    seen["passed_runs"] = field(passed, "structuredContent")
                    diagnosis = await session.call_tool("diagnose", {"report_path": "out", "workspace": "."})
                    seen["diagnosis"] = {"is_error": field(diagnosis, "isError"),
                                         "structured": field(diagnosis, "structuredContent"),
                                         "text": diagnosis.content[0].text}
                    unknown = await session.call_tool("no_such_tool", {})
                    seen["unknown"] = {"is_error": field(unknown, "isError"), "text": unknown.content[0].text}
            print(json.dumps(seen))

        asyncio.run(main())
        """#

    @Test func anAgentValidatesRunsAndReadsReportsOverStdio() throws {
        guard let python = TestTools.python else {
            Issue.record("scripts/test-tools has not been run: the MCP client (PyPI mcp) is missing")
            return
        }
        let fixture = try RunFixture(files: [
            "scope.yaml": """
            scope_id: mcp-demo
            scenarios:
              - id: GOOD
                command: "true"
              - id: BAD
                command: "echo 'AssertionError: expected 2, got 3'; exit 1"
            """,
            "bad.json":
                #"{"scope_id": "bad", "scenarios": [{"id": "A", "command": "true", "retry_policy": {"attempts": 0}}]}"#,
            "client.py": Self.client,
        ])
        defer { fixture.remove() }
        let process = Process()
        process.executableURL = python
        process.arguments = [
            fixture.workspace.appendingPathComponent("client.py").path, TestEnvironment.taasBinary.path,
            fixture.workspace.path,
        ]
        process.environment = ProcessInfo.processInfo.environment.merging([
            "TAAS_CACHE_DIR": TestEnvironment.cacheDirectory.path
        ]) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(stderr)")
        let seen = try #require(try JSONSerialization.jsonObject(with: stdout) as? [String: Any])

        #expect(seen["protocol"] as? String == "2025-11-25")
        #expect(seen["server"] as? String == "maestro-taas")
        let tools = try #require(seen["tools"] as? [String: [String: Any]])
        #expect(Set(tools.keys) == ["validate_scope", "run_scope", "get_report", "list_runs", "diagnose"])
        #expect(tools["diagnose"]?["destructive"] as? Bool == false)
        #expect(tools["validate_scope"]?["read_only"] as? Bool == true)
        #expect(tools["run_scope"]?["read_only"] as? Bool == false)
        #expect(tools["run_scope"]?["destructive"] as? Bool == false)
        #expect(tools["get_report"]?["idempotent"] as? Bool == true)
        // The scope input is the contract's own schema, with its definitions.
        let validateSchema = try #require(tools["validate_scope"]?["schema"] as? [String: Any])
        let scopeSchema = (validateSchema["properties"] as? [String: Any])?["scope"] as? [String: Any]
        #expect((scopeSchema?["required"] as? [String]) == ["scope_id", "scenarios"])
        #expect((validateSchema["$defs"] as? [String: Any])?["scenario"] != nil)

        let bad = try #require((seen["validate_bad"] as? [String: Any])?["structured"] as? [String: Any])
        #expect(bad["valid"] as? Bool == false)
        let problems = try #require(bad["problems"] as? [[String: Any]])
        #expect(
            problems.contains { $0["path"] as? String == "scenarios[0].retry_policy.attempts" && $0["line"] != nil }
        )
        let missing = try #require(seen["validate_missing"] as? [String: Any])
        #expect(missing["valid"] as? Bool == false)
        #expect(((missing["problems"] as? [[String: Any]])?.first?["code"]) as? String == "missing")
        #expect((seen["validate_inline"] as? [String: Any])?["valid"] as? Bool == true)

        let run = try #require(seen["run"] as? [String: Any])
        #expect(run["is_error"] as? Bool == false)
        let result = try #require(run["structured"] as? [String: Any])
        #expect(result["verdict"] as? String == "fail")
        #expect((result["summary"] as? [String: Any])?["passed"] as? Int == 1)
        let failures = try #require(result["failures"] as? [[String: Any]])
        #expect(failures.first?["scenario"] as? String == "BAD")
        #expect((failures.first?["key_lines"] as? [String])?.contains { $0.contains("expected 2, got 3") } == true)
        let reportPath = try #require(result["report_path"] as? String)
        #expect(FileManager.default.fileExists(atPath: reportPath))
        let progress = try #require(seen["progress"] as? [[Any]])
        #expect(progress.contains { ($0[2] as? String) == "BAD: fail" }, "\(progress)")
        #expect(progress.last?[0] as? Double == 2)

        let rerun = try #require(seen["rerun"] as? [String: Any])
        #expect((rerun["selection"] as? [String: Any])?["selected"] as? [String] == ["BAD"])

        let report = try #require(seen["report"] as? [String: Any])
        #expect((report["scenarios"] as? [[String: Any]])?.map { $0["id"] as? String } == ["BAD"])
        let runs = try #require((seen["runs"] as? [String: Any])?["runs"] as? [[String: Any]])
        #expect(runs.count == 1, "one output folder, holding the latest run")
        #expect(runs.first?["verdict"] as? String == "fail")
        #expect(((seen["passed_runs"] as? [String: Any])?["runs"] as? [Any])?.isEmpty == true)

        // The Healer's diagnosis of the failed run: one item, for BAD, written beside the report.
        let diagnosis = try #require(seen["diagnosis"] as? [String: Any])
        #expect(diagnosis["is_error"] as? Bool == false, "\(diagnosis)")
        let items = try #require((diagnosis["structured"] as? [String: Any])?["items"] as? [[String: Any]])
        #expect(items.map { $0["scenario_id"] as? String } == ["BAD"], "\(items)")
        let classes = ["code_broken", "test_outdated", "flaky", "environment", "unknown"]
        #expect(classes.contains(items.first?["class"] as? String ?? ""), "\(items)")
        #expect((diagnosis["text"] as? String)?.hasPrefix("BAD") == true)
        #expect(
            FileManager.default.fileExists(atPath: fixture.workspace.appendingPathComponent("out/diagnosis.json").path)
        )
        #expect((seen["unknown"] as? [String: Any])?["is_error"] as? Bool == true)
    }
}
