import Foundation
import NIOHTTP1
import TaaSCore
import TaaSFabric
import Testing

/// Ended runs keep their logs and uploaded workspace for the retention, then only their history.
@Suite(.serialized) struct RetentionTests {
    @Test func anEndedRunIsPrunedToItsReportOnceOlderThanTheRetention() async throws {
        let configure: @Sendable (inout FabricConfiguration) -> Void = { $0.retention = .seconds(3600) }
        try await LiveFabric.with(configure: configure) { live in
            let submitted = try await live.submit(scope: Scopes.failing, workspace: try Scopes.workspace())
            let id = try #require(try submitted.json()["run_id"] as? String)
            _ = try await live.events(of: id)
            let folder = live.fabric.folder(of: id)
            let logs = folder.report.appendingPathComponent("logs")
            let log = try #require(try FileManager.default.contentsOfDirectory(atPath: logs.path).first)
            #expect(FileManager.default.fileExists(atPath: folder.workspace.path))

            // Within the retention nothing goes.
            #expect(await live.fabric.pruneExpiredRuns(now: Date().addingTimeInterval(1800)).isEmpty)
            #expect(try await live.request(.GET, "/v1/runs/\(id)/logs/\(log)").status == 200)

            // Past it, the logs and the workspace go; the report, the history and the events stay.
            #expect(await live.fabric.pruneExpiredRuns(now: Date().addingTimeInterval(7200)) == [id])
            #expect(!FileManager.default.fileExists(atPath: logs.path))
            #expect(!FileManager.default.fileExists(atPath: folder.workspace.path))
            #expect(try await live.request(.GET, "/v1/runs/\(id)/logs/\(log)").status == 404)
            let report = try TaaSReport.read(from: try await live.request(.GET, "/v1/runs/\(id)/report").body)
            #expect(report.verdict == .fail)
            #expect(try await live.request(.GET, "/v1/runs/\(id)").json()["verdict"] as? String == "fail")
            #expect(try await live.events(of: id).last?.contains(#""event":"run_finished""#) == true)
            // Pruning again finds nothing left to prune.
            #expect(await live.fabric.pruneExpiredRuns(now: Date().addingTimeInterval(7200)).isEmpty)
        }
    }

    @Test func withoutARetentionNothingIsPruned() async throws {
        let configure: @Sendable (inout FabricConfiguration) -> Void = { $0.retention = nil }
        try await LiveFabric.with(configure: configure) { live in
            let submitted = try await live.submit(scope: Scopes.passing, workspace: try Scopes.workspace())
            let id = try #require(try submitted.json()["run_id"] as? String)
            _ = try await live.events(of: id)
            #expect(await live.fabric.pruneExpiredRuns(now: Date().addingTimeInterval(100 * 86_400)).isEmpty)
            #expect(FileManager.default.fileExists(atPath: live.fabric.folder(of: id).workspace.path))
        }
    }
}
