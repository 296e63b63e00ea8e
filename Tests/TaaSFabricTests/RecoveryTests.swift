import Foundation
import NIOHTTP1
import TaaSCore
import Testing

/// kill -9 of the real `taas serve` with runs queued and running: after a restart every accepted run
/// ends with a verdict and a report; a run interrupted twice ends with verdict error.
@Suite(.serialized) struct RecoveryTests {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("taas-recovery-\(UUID().uuidString)")

    func submit(_ port: Int, _ scope: String) async throws -> String {
        let (contentType, body) = Multipart.form([("scope", Data(scope.utf8)), ("workspace", try Scopes.workspace())])
        let answer = try await LiveFabric.request(port: port, .POST, "/v1/runs", contentType: contentType, body: body)
        guard answer.status == 202, let id = try answer.json()["run_id"] as? String else {
            throw FabricTestError("refused: \(answer.status) \(answer.text)")
        }
        return id
    }

    func run(_ port: Int, _ id: String) async throws -> [String: Any] {
        try await LiveFabric.request(port: port, .GET, "/v1/runs/\(id)").json()
    }

    func waitFor(_ server: ServerProcess, _ id: String, status: String) async throws {
        var last: [String: Any] = [:]
        for _ in 0..<600 {
            last = try await run(server.port, id)
            if last["status"] as? String == status { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FabricTestError(
            "run \(id) never reached \(status) in 60 s: \(last)\nthe server printed: \(server.printed)"
        )
    }

    @Test func everyAcceptedRunEndsWithAVerdictAfterKill9AndRestart() async throws {
        defer { try? FileManager.default.removeItem(at: data) }
        let first = try ServerProcess(data: data)
        // A run that waits for the test: it is running when the server is killed, however long the
        // test itself had to wait for a thread on a loaded machine.
        let running = try await submit(first.port, Scopes.waiting(id: "recovery"))
        try await waitFor(first, running, status: "running")
        let queued = [try await submit(first.port, Scopes.passing), try await submit(first.port, Scopes.failing)]
        try await WaitingRun.waitForWorkspace(running)
        first.kill9()
        #expect(
            FileManager.default.fileExists(atPath: WaitingRun.sandboxFolder(running)),
            "kill -9 leaves the sandbox folder"
        )

        let second = try ServerProcess(data: data)
        // The restart removed the old folder and runs it again from the start: release it.
        try await WaitingRun.release(running)
        for id in [running] + queued {
            let events = try await LiveFabric.request(port: second.port, .GET, "/v1/runs/\(id)/events")
            #expect(
                events.text.contains(#""event":"run_finished""#),
                "\(id): \(events.text.suffix(1500))\nthe server printed: \(second.printed)"
            )
        }
        let recovered = try await run(second.port, running)
        #expect(recovered["status"] as? String == "finished", "\(recovered)")
        let recoveredReport = try await LiveFabric.request(port: second.port, .GET, "/v1/runs/\(running)/report")
        #expect(recovered["verdict"] as? String == "pass", "\(recovered)\n\(recoveredReport.text.prefix(3000))")
        #expect((recovered["message"] as? String)?.contains("re-queued") == true, "\(recovered)")
        let passing = try await run(second.port, queued[0])
        #expect(passing["verdict"] as? String == "pass", "\(passing)")
        let failing = try await run(second.port, queued[1])
        #expect(failing["verdict"] as? String == "fail", "\(failing)")
        for id in [running] + queued {
            let report = try await LiveFabric.request(port: second.port, .GET, "/v1/runs/\(id)/report")
            #expect(report.status == 200, "\(id): \(report.text.prefix(500))")
            #expect(try TaaSReport.read(from: report.body).runID == id)
            #expect(!FileManager.default.fileExists(atPath: WaitingRun.sandboxFolder(id)), "\(id)")
        }
        let status = second.terminate()
        #expect(status == 0, "the server printed: \(second.printed)")
    }

    @Test func aRunInterruptedTwiceEndsWithVerdictError() async throws {
        defer { try? FileManager.default.removeItem(at: data) }
        var server = try ServerProcess(data: data)
        let id = try await submit(server.port, Scopes.waiting(id: "twice"))
        for _ in 0..<2 {
            try await waitFor(server, id, status: "running")
            try await WaitingRun.waitForWorkspace(id)
            server.kill9()
            server = try ServerProcess(data: data)
        }
        let run = try await run(server.port, id)
        #expect(run["status"] as? String == "finished")
        #expect(run["verdict"] as? String == "error")
        #expect((run["message"] as? String)?.contains("stopped twice") == true)
        #expect(!FileManager.default.fileExists(atPath: WaitingRun.sandboxFolder(id)))
        #expect(server.terminate() == 0)
    }
}
