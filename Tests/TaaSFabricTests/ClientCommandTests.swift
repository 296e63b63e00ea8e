import Foundation
import TaaSCore
import Testing

/// The real `taas` binary as a client (`taas run --server`, `taas runs ls`) and its start checks.
@Suite(.serialized) struct ClientCommandTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taas-client-\(UUID().uuidString)")

    func taas(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Program.run(ServerProcess.taasBinary, arguments)
    }

    @Test func runWithServerWritesTheReportAndExitsWithTheVerdictsCode() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        try Data("hello\n".utf8).write(to: workspace.appendingPathComponent("hello.txt"))
        try Data(Scopes.failing.utf8).write(to: workspace.appendingPathComponent("scope.json"))
        let server = try ServerProcess(data: folder.appendingPathComponent("data"))
        defer { _ = server.terminate() }
        let out = folder.appendingPathComponent("out")
        let url = "http://127.0.0.1:\(server.port)"
        let events = folder.appendingPathComponent("events.jsonl")
        let run = try taas([
            "run", workspace.appendingPathComponent("scope.json").path, "--server", url, "--out", out.path,
            "--label", "commit=abc", "--events", events.path, "--color", "never",
        ])
        #expect(run.status == 1, "\(run.output)")
        let report = try TaaSReport.read(from: Data(contentsOf: out.appendingPathComponent("report.json")))
        #expect(report.verdict == .fail)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
        // The same console as a local run of the same scope: its scenario line, its digest, its verdict line.
        let local = try taas([
            "run", workspace.appendingPathComponent("scope.json").path, "--out",
            folder.appendingPathComponent("local").path,
            "--color", "never",
        ])
        #expect(local.status == 1, "\(local.output)")
        for expected in ["] CMD-001 (unit, ", "What failed:", "fabric-demo: 0 passed, 1 failed", "• scenarios (at "] {
            #expect(local.output.contains(expected), "local: \(local.output)")
            #expect(run.output.contains(expected), "--server: \(run.output)")
        }
        #expect(run.output.contains("— report: \(out.appendingPathComponent("report.html").path)"))
        // --events works against a server too, each result whole.
        let lines = try String(contentsOf: events, encoding: .utf8).split(separator: "\n")
        let finished = try #require(lines.first { $0.contains(#""event":"scenario_finished""#) })
        #expect(finished.contains(#""result":{"#) && finished.contains(#""id":"CMD-001""#))
        let list = try taas(["runs", "ls", "--server", url])
        #expect(list.output.contains("\(report.runID)\tFAIL\tfabric-demo"))
    }

    @Test func interruptingARemoteRunCancelsItOnTheServerAndWaitsForItsReport() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        try Data(Scopes.waiting(id: "fabric-interrupted").utf8).write(
            to: workspace.appendingPathComponent("scope.json")
        )
        let server = try ServerProcess(data: folder.appendingPathComponent("data"))
        defer { _ = server.terminate() }
        let out = folder.appendingPathComponent("out")
        let run = try Program.run(
            ServerProcess.taasBinary,
            [
                "run", workspace.appendingPathComponent("scope.json").path, "--server",
                "http://127.0.0.1:\(server.port)", "--out", out.path, "--color", "never",
            ]
        ) { process, output in
            let deadline = Date().addingTimeInterval(120)
            while !output().contains("• scenarios"), process.isRunning, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
            }
            kill(process.processIdentifier, SIGINT)
        }
        #expect(run.status == 2, "\(run.output)")
        let report = try TaaSReport.read(from: Data(contentsOf: out.appendingPathComponent("report.json")))
        #expect(report.verdict == .error)
        #expect(report.teardown.first?.output.stdoutTail.contains("teardown-ran") == true, "\(report.teardown)")
        #expect(run.output.contains("ERROR fabric-interrupted"), "\(run.output)")
    }

    @Test func anOpenServerRefusesToListenBeyondLoopback() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let refused = try taas(["serve", "--host", "0.0.0.0", "--port", "0", "--data", folder.path])
        #expect(refused.status != 0)
        #expect(refused.output.contains("refusing to listen on 0.0.0.0 without authentication"))
        let created = try taas(["token", "create", "--name", "ci", "--role", "read", "--data", folder.path])
        #expect(created.status == 0)
        let token = try #require(created.output.split(separator: "\n").last.map(String.init))
        #expect(token.hasPrefix("taas_"))
        let listed = try taas(["token", "ls", "--data", folder.path])
        #expect(listed.output.hasPrefix("ci\tread\t"))
        #expect(!listed.output.contains(token))
        #expect(try taas(["token", "revoke", "ci", "--data", folder.path]).status == 0)
    }
}
