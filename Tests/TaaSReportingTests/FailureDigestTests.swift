import Foundation
import TaaSCore
import TaaSReporting
import TaaSTesting
import Testing

@Suite struct FailureDigestTests {
    @Test func listsRunErrorsThenEachFailedCaseAndScenarioInReportOrder() {
        let digest = FailureDigest(SampleReports.failing(), lines: 3)
        #expect(digest.runErrors.map(\.phase) == ["teardown"])
        #expect(
            digest.entries.map(\.title) == ["UNIT-001 › tests.test_core::test_rate_limit_blocks", "API-002", "E2E-001"]
        )
        #expect(digest.entries.map(\.verdict) == [.fail, .fail, .error])
        #expect(digest.skipped == 1)
        #expect(!digest.isEmpty)
    }

    @Test func aFailedCaseShowsItsKeyLines() {
        let entry = FailureDigest(SampleReports.failing(), lines: 2).entries[0]
        #expect(entry.scenarioID == "UNIT-001")
        #expect(entry.caseName == "tests.test_core::test_rate_limit_blocks")
        #expect(
            entry.lines == [
                "E       assert True is False", "E        +  where True = <bound method TokenBucket.allow>()",
            ]
        )
    }

    @Test func aScenarioWithoutCasesShowsItsMessageThenTheEndOfItsStderr() {
        let entry = FailureDigest(SampleReports.failing(), lines: 3).entries[1]
        #expect(entry.caseName == nil)
        #expect(
            entry.lines == [
                "exit code 1", "│ routes differ: expected /users, got /admin", "│ see http://127.0.0.1:3000/routes",
            ]
        )
    }

    @Test func aTimedOutScenarioIsListedBesideItsFailedCases() {
        let scenario = ScenarioResult(
            id: "SLOW",
            type: "unit",
            verdict: .fail,
            attempts: [AttemptResult(number: 1, verdict: .fail, exitCode: nil, durationMS: 60_000, timedOut: true)],
            cases: [CaseResult(name: "test_x", classname: "", verdict: .fail, durationMS: 1, message: "boom")],
            message: "timed out after 60s"
        )
        let digest = FailureDigest(ReportBuilder().scenario(scenario).build())
        #expect(digest.entries.map(\.title) == ["SLOW", "SLOW › test_x"])
        #expect(digest.entries[0].lines.first == "timed out after 60s")
        #expect(digest.entries[1].lines == ["boom"])
    }

    @Test func aPassingRunHasAnEmptyDigest() {
        #expect(FailureDigest(SampleReports.passing()).isEmpty)
    }
}
