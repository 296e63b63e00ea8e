import Foundation
import NIOHTTP1
import TaaSCore
import TaaSFabric
import TaaSTesting
import Testing

/// The worker protocol spoken by hand against a real server: a worker whose lease ran out is fenced
/// out — its events, its heartbeat and its late report are refused, and the newer attempt's stands.
@Suite struct LeaseFencingTests {
    /// Leases of ten minutes, that the tests run out by hand (`expireLeases(now:)` a lease later), so
    /// that no lease runs out by itself on a loaded machine. Leases running out on their own are
    /// covered by ScaleOutTests (a worker killed with kill -9).
    static let longLeases: @Sendable (inout FabricConfiguration) -> Void = { $0.leaseSeconds = 600 }

    /// Runs out every lease held now, as the server's sweep does once a lease has passed.
    func runOutLeases(_ live: LiveFabric) async -> [FabricRun] {
        await live.fabric.expireLeases(now: Date().addingTimeInterval(601))
    }

    func register(_ live: LiveFabric, _ name: String) async throws -> String {
        let body = Data(#"{"name": "\#(name)", "slots": 1, "labels": {"bwrap": "true"}}"#.utf8)
        let answer = try await live.request(.POST, "/v1/workers", contentType: "application/json", body: body)
        #expect(answer.status == 201, "\(answer.text)")
        return try #require(try answer.json()["worker_id"] as? String)
    }

    func claim(_ live: LiveFabric, _ worker: String) async throws -> (id: String, fence: Int) {
        let answer = try await live.request(.POST, "/v1/workers/\(worker)/claim?wait=10")
        #expect(answer.status == 200, "\(answer.text)")
        let object = try answer.json()
        return (try #require(object["run_id"] as? String), try #require(object["fence"] as? Int))
    }

    /// A report folder with only report.json, as a `.tar.gz`.
    func reportArchive(runID: String, verdict: Verdict) throws -> Data {
        let report = ReportBuilder(scopeID: "fabric-demo", runID: runID).scenario("CMD-001", verdict).build()
        return try Archives.tarGz(["report.json": String(decoding: try report.jsonData(), as: UTF8.self)])
    }

    @Test func aLateReportFromAFencedOutLeaseIsRefusedAndTheNewerAttemptStands() async throws {
        try await LiveFabric.with(workers: 0, configure: Self.longLeases) { live in
            let first = try await register(live, "first")
            let submitted = try await live.submit(scope: Scopes.passing, workspace: try Scopes.workspace())
            let id = try #require(try submitted.json()["run_id"] as? String)
            let held = try await claim(live, first)
            #expect(held.id == id && held.fence == 1)
            // The first worker falls silent: its lease runs out and the run is queued again.
            #expect(await runOutLeases(live).map(\.id) == [id])
            let run = try await live.request(.GET, "/v1/runs/\(id)").json()
            #expect(run["status"] as? String == "queued", "\(run)")
            let second = try await register(live, "second")
            let retaken = try await claim(live, second)
            #expect(retaken.id == id && retaken.fence == 2)

            let late = "?worker=\(first)&fence=1"
            let events = try await live.request(
                .POST,
                "/v1/runs/\(id)/events\(late)",
                contentType: "application/x-ndjson",
                body: Data(#"{"event":"note","message":"late"}"#.utf8)
            )
            #expect(events.status == 409, "\(events.text)")
            let beat = try await live.request(
                .POST,
                "/v1/workers/\(first)/heartbeat",
                contentType: "application/json",
                body: Data(#"{"runs": [{"run_id": "\#(id)", "fence": 1}]}"#.utf8)
            )
            #expect(try beat.json()["stop"] as? [String] == [id])
            let lateReport = try await live.request(
                .POST,
                "/v1/runs/\(id)/result\(late)",
                contentType: "application/gzip",
                body: try reportArchive(runID: id, verdict: .pass)
            )
            #expect(lateReport.status == 409, "\(lateReport.text)")
            #expect(try await live.request(.GET, "/v1/runs/\(id)").json()["status"] as? String == "running")

            let current = try await live.request(
                .POST,
                "/v1/runs/\(id)/result?worker=\(second)&fence=2",
                contentType: "application/gzip",
                body: try reportArchive(runID: id, verdict: .fail)
            )
            #expect(current.status == 200, "\(current.text)")
            let ended = try await live.request(.GET, "/v1/runs/\(id)").json()
            #expect(ended["status"] as? String == "finished" && ended["verdict"] as? String == "fail", "\(ended)")
            let report = try await live.request(.GET, "/v1/runs/\(id)/report")
            #expect(try TaaSReport.read(from: report.body).verdict == .fail)
            // Once ended, no attempt may report again.
            let again = try await live.request(
                .POST,
                "/v1/runs/\(id)/result?worker=\(second)&fence=2",
                contentType: "application/gzip",
                body: try reportArchive(runID: id, verdict: .pass)
            )
            #expect(again.status == 409)
        }
    }

    @Test func aLeaseLostTwiceEndsTheRunWithVerdictError() async throws {
        try await LiveFabric.with(workers: 0, configure: Self.longLeases) { live in
            let worker = try await register(live, "flaky-host")
            let submitted = try await live.submit(scope: Scopes.passing, workspace: try Scopes.workspace())
            let id = try #require(try submitted.json()["run_id"] as? String)
            for attempt in 1...2 {
                let held = try await claim(live, worker)
                #expect(held.fence == attempt)
                #expect(await runOutLeases(live).map(\.id) == [id])
            }
            let run = try await live.request(.GET, "/v1/runs/\(id)").json()
            #expect(run["status"] as? String == "finished", "\(run)")
            #expect(run["verdict"] as? String == "error", "\(run)")
            #expect((run["message"] as? String)?.contains("not tried again") == true, "\(run)")
        }
    }

    @Test func workerCallsNeedAWorkerToken() async throws {
        try await LiveFabric.with(workers: 0) { live in
            let (submitToken, submitRecord) = TokenRecord.generate(name: "ci", role: .submit)
            try await live.fabric.store.insert(submitRecord)
            let body = Data(#"{"name": "w", "slots": 1, "labels": {}}"#.utf8)
            let refused = try await live.request(
                .POST,
                "/v1/workers",
                token: submitToken,
                contentType: "application/json",
                body: body
            )
            #expect(refused.status == 403, "\(refused.text)")
            let (workerToken, workerRecord) = TokenRecord.generate(name: "fleet", role: .worker)
            try await live.fabric.store.insert(workerRecord)
            let accepted = try await live.request(
                .POST,
                "/v1/workers",
                token: workerToken,
                contentType: "application/json",
                body: body
            )
            #expect(accepted.status == 201, "\(accepted.text)")
            let unknown = try await live.request(.POST, "/v1/workers/w-000000000000/claim?wait=0", token: workerToken)
            #expect(unknown.status == 404, "\(unknown.text)")
        }
    }
}
