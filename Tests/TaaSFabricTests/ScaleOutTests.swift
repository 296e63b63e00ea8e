import Foundation
import NIOHTTP1
import TaaSCore
import TaaSTesting
import Testing

/// Scale-out with the real binaries: `taas serve --workers 0` as the coordinator and `taas worker`
/// processes that claim its runs under leases. kill -9 of a worker or of the coordinator loses no run.
@Suite(.serialized) struct ScaleOutTests {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("taas-scale-\(UUID().uuidString)")

    func submit(_ port: Int, _ scope: String, requires: String? = nil) async throws -> String {
        var fields: [(String, Data)] = [("scope", Data(scope.utf8)), ("workspace", try Scopes.workspace())]
        if let requires { fields.append(("requires", Data(requires.utf8))) }
        let (contentType, body) = Multipart.form(fields)
        let answer = try await LiveFabric.request(port: port, .POST, "/v1/runs", contentType: contentType, body: body)
        guard answer.status == 202, let id = try answer.json()["run_id"] as? String else {
            throw FabricTestError("refused: \(answer.status) \(answer.text)")
        }
        return id
    }

    func run(_ port: Int, _ id: String) async throws -> [String: Any] {
        try await LiveFabric.request(port: port, .GET, "/v1/runs/\(id)").json()
    }

    /// Waits (at most `seconds`) until `condition` holds for run `id`.
    func waitFor(
        _ port: Int,
        _ id: String,
        seconds: Int = 120,
        _ what: String,
        _ condition: ([String: Any]) -> Bool
    ) async throws -> [String: Any] {
        var last: [String: Any] = [:]
        for _ in 0..<(seconds * 10) {
            last = (try? await run(port, id)) ?? last
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FabricTestError("run \(id) never \(what) in \(seconds) s: \(last)")
    }

    func finished(_ port: Int, _ id: String, seconds: Int = 180) async throws -> [String: Any] {
        try await waitFor(port, id, seconds: seconds, "finished") { $0["status"] as? String == "finished" }
    }

    func workers(_ port: Int) async throws -> [[String: Any]] {
        try await LiveFabric.request(port: port, .GET, "/v1/workers").json()["workers"] as? [[String: Any]] ?? []
    }

    /// The coordinator keeps its state in a real PostgreSQL, which is restarted once a third of the
    /// runs have ended: the coordinator and the workers ride it out and nothing is lost.
    @Test func thirtyRunsOverThreeWorkersOnPostgreSQLEachEndOnceWithAVerdictThroughARestart() async throws {
        defer { try? FileManager.default.removeItem(at: data) }
        let postgres = try await PostgresServer.start()
        defer { postgres.stop() }
        let server = try ServerProcess(
            data: data,
            arguments: ["--workers", "0", "--lease-seconds", "10", "--database", postgres.url]
        )
        #expect(
            server.printed.contains("database: postgresql://taas@127.0.0.1:\(postgres.port)/taas"),
            "\(server.printed)"
        )
        let fleet = try (1...3).map { try WorkerProcess(port: server.port, name: "worker-\($0)") }
        var ids: [String] = []
        for index in 0..<30 {
            ids.append(try await submit(server.port, index % 3 == 2 ? Scopes.failing : Scopes.passing))
        }
        for (index, id) in ids.enumerated() {
            if index == 10 { try await postgres.restart(pause: .seconds(2)) }
            let ended = try await finished(server.port, id)
            #expect(ended["verdict"] as? String == (index % 3 == 2 ? "fail" : "pass"), "\(ended)\n\(server.printed)")
        }
        // Each run was executed once, to completion, by one of the three workers.
        for _ in 0..<300 where Set(fleet.flatMap(\.reported)) != Set(ids) {
            try await Task.sleep(for: .milliseconds(100))
        }
        let reported = fleet.flatMap(\.reported)
        #expect(reported.sorted() == ids.sorted(), "\(fleet.map(\.printed))")
        let runners = Set(fleet.filter { !$0.reported.isEmpty }.map(\.workerID))
        #expect(runners.count >= 2, "the runs were not spread: \(fleet.map(\.reported.count))")
        for id in ids {
            let report = try await LiveFabric.request(port: server.port, .GET, "/v1/runs/\(id)/report")
            #expect(try TaaSReport.read(from: report.body).runID == id)
            let events = try await LiveFabric.request(port: server.port, .GET, "/v1/runs/\(id)/events")
            #expect(events.text.components(separatedBy: #""event":"run_finished""#).count == 2, "\(id)")
        }
        let listed = try await workers(server.port)
        #expect(Set(listed.compactMap { $0["worker_id"] as? String }) == Set(fleet.map(\.workerID)))
        #expect(listed.allSatisfy { $0["state"] as? String == "available" }, "\(listed)")
        for worker in fleet { #expect(worker.terminate() == 0, "\(worker.printed)") }
        #expect(server.terminate() == 0)
    }

    @Test func aWorkerKilledMidRunLosesItsLeaseAndTheRunCompletesElsewhere() async throws {
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try ServerProcess(data: data, arguments: ["--workers", "0", "--lease-seconds", "3"])
        let doomed = try WorkerProcess(port: server.port, name: "doomed")
        let id = try await submit(server.port, Scopes.slow(4, id: "scale-slow"))
        _ = try await waitFor(server.port, id, "ran on the first worker") { $0["status"] as? String == "running" }
        let busy = try await workers(server.port).first { $0["worker_id"] as? String == doomed.workerID }
        #expect(busy?["state"] as? String == "busy" && (busy?["runs"] as? [String]) == [id], "\(busy ?? [:])")
        doomed.kill9()
        let rescuer = try WorkerProcess(port: server.port, name: "rescuer")
        let ended = try await finished(server.port, id)
        #expect(ended["verdict"] as? String == "pass", "\(ended)\n\(rescuer.printed)")
        #expect((ended["message"] as? String)?.contains("re-queued") == true, "\(ended)")
        try await rescuer.waitUntilReported([id])
        #expect(rescuer.reported == [id], "\(rescuer.printed)")
        let report = try TaaSReport.read(
            from: try await LiveFabric.request(port: server.port, .GET, "/v1/runs/\(id)/report").body
        )
        #expect(report.verdict == .pass)
        let states = try await workers(server.port)
        let offline = states.first { $0["worker_id"] as? String == doomed.workerID }
        #expect(offline?["state"] as? String == "offline", "\(states)")
        #expect(rescuer.terminate() == 0)
        #expect(server.terminate() == 0)
    }

    @Test func runsGoOnlyToWorkersWithTheLabelsTheyRequire() async throws {
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try ServerProcess(data: data, arguments: ["--workers", "0"])
        let plain = try WorkerProcess(port: server.port, name: "plain")
        let needsGPU = try await submit(server.port, Scopes.passing, requires: "gpu=true")
        let anyWorker = try await submit(server.port, Scopes.passing)
        _ = try await finished(server.port, anyWorker)
        try await Task.sleep(for: .seconds(1))
        #expect(try await run(server.port, needsGPU)["status"] as? String == "queued")
        let gpu = try WorkerProcess(port: server.port, name: "gpu", arguments: ["--labels", "gpu=true"])
        let ended = try await finished(server.port, needsGPU)
        #expect(ended["verdict"] as? String == "pass")
        try await gpu.waitUntilReported([needsGPU])
        try await plain.waitUntilReported([anyWorker])
        #expect(gpu.reported == [needsGPU] && plain.reported == [anyWorker], "\(gpu.printed)\n\(plain.printed)")
        #expect(plain.terminate() == 0 && gpu.terminate() == 0)
        #expect(server.terminate() == 0)
    }

    @Test func aCoordinatorKilledMidRunLosesNothing() async throws {
        defer { try? FileManager.default.removeItem(at: data) }
        let first = try ServerProcess(data: data, arguments: ["--workers", "0", "--lease-seconds", "20"])
        let port = first.port
        let worker = try WorkerProcess(port: port, name: "steady")
        // A run that waits for the test, so that it is still running when the coordinator is killed
        // however late a loaded machine lets the test look (a 3-second run once went by unseen).
        let id = try await submit(port, Scopes.waiting(id: "scale-steady"))
        let queued = try await submit(port, Scopes.passing)
        _ = try await waitFor(port, id, "ran") { $0["status"] as? String == "running" }
        try await WaitingRun.waitForWorkspace(id)
        first.kill9()
        // The worker finishes the run while no coordinator answers, and delivers it to the next one.
        try await WaitingRun.release(id)
        try await Task.sleep(for: .seconds(1))
        let second = try ServerProcess(data: data, port: port, arguments: ["--workers", "0", "--lease-seconds", "20"])
        for run in [id, queued] {
            let ended = try await finished(port, run)
            #expect(ended["verdict"] as? String == "pass", "\(ended)\n\(worker.printed)\n\(second.printed)")
        }
        let ended = try await run(port, id)
        #expect((ended["message"] as? String) == nil, "it was not run again: \(ended)")
        try await worker.waitUntilReported([id, queued])
        #expect(worker.reported == [id, queued], "\(worker.printed)")
        #expect(worker.terminate() == 0)
        #expect(second.terminate() == 0)
    }
}
