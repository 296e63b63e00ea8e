import Foundation
import TaaSCore
import Testing

/// The `taas` executable, run as a user would.
@Suite(.serialized) struct CommandLineTests {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `taas` with arguments; `whileRunning` gets the process once it has printed `waitFor`.
    static func taas(
        _ arguments: [String],
        in directory: URL? = nil,
        environment: [String: String]? = nil,
        waitFor: String? = nil,
        whileRunning: ((Process) -> Void)? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = TestEnvironment.taasBinary
        process.arguments = arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var collected = Data()
        if let waitFor {
            let handle = out.fileHandleForReading
            while !String(decoding: collected, as: UTF8.self).contains(waitFor) {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                collected.append(chunk)
            }
            whileRunning?(process)
        }
        collected.append(out.fileHandleForReading.readDataToEndOfFile())
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: collected, as: UTF8.self),
            stderr: String(decoding: errors, as: UTF8.self)
        )
    }

    /// Runs `scope.json` of the fixture, sends `signal` once the scenarios have started, checks that
    /// taas exits 2, and returns the report it wrote.
    static func interruptedRun(_ fixture: RunFixture, signal: Int32, extraArguments: [String] = []) throws -> TaaSReport
    {
        let result = try taas(
            ["run", fixture.workspace.appendingPathComponent("scope.json").path, "--out", fixture.output.path]
                + extraArguments,
            waitFor: "• scenarios"
        ) { process in
            Thread.sleep(forTimeInterval: 0.3)
            kill(process.processIdentifier, signal)
        }
        #expect(result.status == 2, "\(result.stdout)\n\(result.stderr)")
        return try TaaSReport.decode(from: Data(contentsOf: fixture.output.appendingPathComponent("report.json")))
    }

    @Test func invalidScopeExitsThreeNamingEveryPath() throws {
        let fixture = try RunFixture(files: [
            "scope.json": """
            {"scope_id": "bad", "scenarios": [
              {"id": "A", "command": "true", "retry_policy": {"attempts": 0}},
              {"id": "A", "execution": {"runner": "pytset", "target": "t.py"}}]}
            """
        ])
        defer { fixture.remove() }
        let result = try Self.taas(["run", fixture.workspace.appendingPathComponent("scope.json").path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("scenarios[0].retry_policy.attempts"))
        #expect(result.stderr.contains("scenarios[1].id"))
        #expect(result.stderr.contains("scenarios[1].execution.runner"))
        #expect(result.stderr.contains("did you mean \"pytest\"?"))
        let validate = try Self.taas(["validate", fixture.workspace.appendingPathComponent("scope.json").path])
        #expect(validate.status == 3)
        #expect(validate.stderr.contains("scenarios[0].retry_policy.attempts"))
    }

    @Test func validScopeValidatesWithExitZero() throws {
        let result = try Self.taas([
            "validate", TestEnvironment.packageRoot.appendingPathComponent("examples/seed-scope.json").path,
        ])
        #expect(result.status == 0)
        #expect(result.stdout.contains("valid TestScope \"scope-v2\""))
    }

    @Test func schemaCommandPrintsTheCheckedInSchema() throws {
        let result = try Self.taas(["schema"])
        let file = try String(
            contentsOf: TestEnvironment.packageRoot.appendingPathComponent("schema/testscope.schema.json"),
            encoding: .utf8
        )
        #expect(result.status == 0)
        #expect(result.stdout == file)
    }

    @Test func exitCodesFollowTheVerdict() throws {
        let fixture = try RunFixture(files: [
            "pass.json": #"{"scope_id": "p", "scenarios": [{"id": "S", "command": "true"}]}"#,
            "fail.json": #"{"scope_id": "f", "scenarios": [{"id": "S", "command": "false"}]}"#,
            "error.json":
                #"{"scope_id": "e", "lifecycle": {"setup": ["false"]}, "scenarios": [{"id": "S", "command": "true"}]}"#,
        ])
        defer { fixture.remove() }
        for (name, status) in [("pass", Int32(0)), ("fail", 1), ("error", 2)] {
            let out = fixture.root.appendingPathComponent("out-\(name)")
            let result = try Self.taas([
                "run", fixture.workspace.appendingPathComponent("\(name).json").path, "--sandbox", "jail", "--out",
                out.path,
            ])
            #expect(result.status == status, "\(name): \(result.stdout) \(result.stderr)")
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.json").path))
        }
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func signalMidRunStopsScenariosRunsTeardownAndWritesAnErrorReport(signal: Int32) throws {
        let marker = "6161.\(Int.random(in: 100...999))"
        let fixture = try RunFixture(files: [
            "scope.json": """
            {"scope_id": "sig", "lifecycle": {"setup": ["sleep \(marker) &"], "teardown": ["echo teardown-ran"]},
             "scenarios": [{"id": "long", "command": "sleep \(marker)"}, {"id": "after", "command": "true"}]}
            """
        ])
        defer { fixture.remove() }
        let report = try Self.interruptedRun(fixture, signal: signal)
        #expect(report.verdict == .error)
        #expect(report.teardown.first?.output.stdoutTail == "teardown-ran\n")
        #expect(report.errors.contains { $0.message.contains("interrupted") })
        #expect(report.scenarios.map(\.verdict) == [.error, .skipped])
        #expect(TestEnvironment.processes(matching: "sleep \(marker)").isEmpty)
        #expect(!TestEnvironment.leftoverFolders(runID: report.runID))
    }

    @Test func localSandboxNeedsTheUnsafeFlag() throws {
        let fixture = try RunFixture(files: [
            "scope.json": #"{"scope_id": "l", "scenarios": [{"id": "S", "command": "true"}]}"#
        ])
        defer { fixture.remove() }
        let refused = try Self.taas([
            "run", fixture.workspace.appendingPathComponent("scope.json").path, "--sandbox", "local",
        ])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--unsafe-local"))
        let allowed = try Self.taas(
            [
                "run", fixture.workspace.appendingPathComponent("scope.json").path, "--unsafe-local", "--out",
                fixture.output.path,
            ])
        #expect(allowed.status == 0)
        #expect(allowed.stderr.contains("WARNING"))
        let report = try TaaSReport.decode(from: Data(contentsOf: fixture.output.appendingPathComponent("report.json")))
        #expect(report.sandbox.kind == "local" && report.sandbox.unsafe)
    }
}
