import Foundation
import TaaSCore
import TaaSHealer
import TaaSIntegrity
import TaaSTesting
import Testing

/// The Diagnoser's rules on reports built in the test (no sandbox): the lifecycle, retries, and
/// "unknown" rather than a guess.
@Suite struct DiagnoserRuleTests {
    let manifest = WorkspaceManifest(files: [
        .init(path: "calc.py", digest: "sha256:1", law: false),
        .init(path: "tests/test_calc.py", digest: "sha256:2", law: true),
    ])

    @Test func aFailedSetupMakesEveryScenarioEnvironment() {
        let report = ReportBuilder(scopeID: "demo")
            .setup("make fixtures", exitCode: 127)
            .scenario("UNIT", .skipped)
            .build()
        let diagnosis = Diagnoser(context: DiagnosisContext(manifest: manifest)).diagnose(report)
        #expect(diagnosis.items.map(\.failureClass) == [.environment])
        #expect(diagnosis.items[0].evidence.first?.kind == "setup")
    }

    @Test func aScenarioThatPassedOnRetryIsFlaky() {
        var report = ReportBuilder(scopeID: "demo").scenario("UNIT", .pass).build()
        report.scenarios[0].flaky = true
        report.scenarios[0].attempts = [
            AttemptResult(number: 1, verdict: .fail, exitCode: 1, durationMS: 5, timedOut: false),
            AttemptResult(number: 2, verdict: .pass, exitCode: 0, durationMS: 5, timedOut: false),
        ]
        let diagnosis = Diagnoser(context: DiagnosisContext(manifest: manifest)).diagnose(report)
        #expect(diagnosis.items.map(\.failureClass) == [.flaky])
        #expect(diagnosis.items[0].evidence[0].detail == "attempts: 1 fail, 2 pass")
    }

    @Test func aFailureWithoutATraceIsUnknown() {
        var report = ReportBuilder(scopeID: "demo").scenario("CHECK", .fail).build()
        report.scenarios[0].attempts = [
            AttemptResult(number: 1, verdict: .fail, exitCode: 1, durationMS: 5, timedOut: false)
        ]
        let diagnosis = Diagnoser(context: DiagnosisContext(manifest: manifest)).diagnose(report)
        #expect(diagnosis.items.map(\.failureClass) == [.unknown])
        #expect(diagnosis.items[0].confidence == 0)
    }

    @Test func anExceptionRaisedInTheCodeIsCodeBroken() {
        var report = ReportBuilder(scopeID: "demo").scenario("UNIT", .fail).build()
        report.scenarios[0].cases = [
            CaseResult(
                name: "test_div",
                classname: "tests.test_calc",
                verdict: .fail,
                durationMS: 1,
                message: """
                    tests/test_calc.py:4:
                    _ _ _ _
                        def div(a, b):
                    >       return a / b
                    E       ZeroDivisionError: division by zero

                    calc.py:2: ZeroDivisionError
                    """
            )
        ]
        let item = Diagnoser(context: DiagnosisContext(manifest: manifest)).diagnose(report).items[0]
        #expect(item.failureClass == .codeBroken)
        #expect(item.caseID == "tests/test_calc.py::test_div")
        #expect(item.evidence.contains { $0.kind == "frame" && $0.path == "calc.py" && $0.line == 2 })
    }
}
