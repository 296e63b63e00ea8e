import Foundation
import TaaSCore
import Testing

/// `taas run --scenario`, `-k`, `-x` and `--rerun-failed`, run as a user would, in the real jail.
@Suite(.serialized) struct SelectionCommandLineTests {
    static let files = [
        "scope.json": """
        {"scope_id": "selection", "lifecycle": {"teardown": ["echo teardown-ran > /tmp/teardown-mark"]},
         "scenarios": [
           {"id": "UNIT-001", "type": "unit", "command": "true"},
           {"id": "API-001", "type": "integration", "command": "test ! -e fail-api-001"},
           {"id": "API-002", "type": "integration", "command": "true"},
           {"id": "SLOW-001", "type": "e2e", "command": "true"}]}
        """
    ]

    static func run(_ fixture: RunFixture, _ arguments: [String]) throws -> (CommandLineTests.Result, TaaSReport?) {
        let result = try CommandLineTests.taas(
            ["run", fixture.workspace.path, "--out", fixture.output.path, "--report-format", "json"] + arguments
        )
        let data = FileManager.default.contents(atPath: fixture.output.appendingPathComponent("report.json").path)
        return (result, try data.map { try TaaSReport.decode(from: $0) })
    }

    @Test func scenarioGlobsAndKeywordExpressionsChooseWhatRuns() throws {
        let fixture = try RunFixture(files: Self.files)
        defer { fixture.remove() }
        let (result, report) = try Self.run(
            fixture,
            ["--scenario", "API-*", "--scenario", "UNIT-001", "-k", "not 002"]
        )
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(report?.scenarios.map(\.id) == ["UNIT-001", "API-001"])
        #expect(report?.selection?.deselected == ["API-002", "SLOW-001"])
        #expect(report?.selection?.scenarioPatterns == ["API-*", "UNIT-001"])
        #expect(result.stdout.contains("running selection (2 scenarios"), "\(result.stdout)")
    }

    @Test func aBrokenExpressionIsAUsageErrorNamingTheColumn() throws {
        let fixture = try RunFixture(files: Self.files)
        defer { fixture.remove() }
        let (result, report) = try Self.run(fixture, ["-k", "api and (unit"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("column 14: expected ')'"), "\(result.stderr)")
        #expect(report == nil)
    }

    @Test func failFastSkipsTheRestAndRerunFailedRunsOnlyTheFailure() throws {
        let fixture = try RunFixture(files: Self.files.merging(["fail-api-001": ""]) { $1 })
        defer { fixture.remove() }
        let (failed, first) = try Self.run(fixture, ["-x"])
        #expect(failed.status == 1, "\(failed.stdout)\n\(failed.stderr)")
        #expect(first?.scenarios.map(\.verdict) == [.pass, .fail, .skipped, .skipped])
        #expect(first?.teardown.count == 1, "teardown still runs after --fail-fast")
        #expect(first?.selection?.failFast == true)

        let (rerun, second) = try Self.run(fixture, ["--rerun-failed"])
        #expect(rerun.status == 1)
        #expect(second?.scenarios.map(\.id) == ["API-001"])
        #expect(second?.selection?.rerunFailedFrom == first?.runID)

        try FileManager.default.removeItem(at: fixture.workspace.appendingPathComponent("fail-api-001"))
        let (fixed, third) = try Self.run(fixture, ["--rerun-failed"])
        #expect(fixed.status == 0, "\(fixed.stdout)\n\(fixed.stderr)")
        #expect(third?.scenarios.map(\.id) == ["API-001"])
    }

    @Test func rerunFailedWithoutAnEarlierReportSaysSo() throws {
        let fixture = try RunFixture(files: Self.files)
        defer { fixture.remove() }
        let (result, _) = try Self.run(fixture, ["--rerun-failed"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--rerun-failed: there is no earlier report"), "\(result.stderr)")
    }
}
