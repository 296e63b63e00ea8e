import Foundation
import TaaSCore
import TaaSReporting
import TaaSTesting
import Testing

@testable import TaaSEngine

/// The engine's rules, without processes.
struct EngineRulesTests {
    static func scenario(_ id: String, _ verdict: Verdict, flaky: Bool = false) -> ScenarioResult {
        ScenarioResult(id: id, type: "unit", verdict: verdict, flaky: flaky)
    }

    @Test func runVerdictIsErrorBeforeFailBeforePass() {
        #expect(VerdictRules.runVerdict(scenarios: [Self.scenario("a", .pass)], errors: []) == .pass)
        #expect(
            VerdictRules.runVerdict(scenarios: [Self.scenario("a", .pass), Self.scenario("b", .fail)], errors: [])
                == .fail
        )
        #expect(
            VerdictRules.runVerdict(scenarios: [Self.scenario("a", .fail), Self.scenario("b", .error)], errors: [])
                == .error
        )
        #expect(
            VerdictRules.runVerdict(
                scenarios: [Self.scenario("a", .pass)],
                errors: [RunError(phase: "teardown", message: "x")]
            )
                == .error
        )
        #expect(VerdictRules.runVerdict(scenarios: [Self.scenario("a", .skipped)], errors: []) == .error)
        #expect(VerdictRules.runVerdict(scenarios: [], errors: []) == .error)
    }

    @Test func scenarioVerdictMarksAPassAfterAFailureAsFlaky() {
        func attempt(_ verdict: Verdict) -> AttemptResult {
            AttemptResult(number: 1, verdict: verdict, exitCode: 0, durationMS: 1, timedOut: false)
        }
        #expect(VerdictRules.scenarioVerdict(attempts: [attempt(.fail), attempt(.pass)]) == (.pass, true))
        #expect(VerdictRules.scenarioVerdict(attempts: [attempt(.pass)]) == (.pass, false))
        #expect(VerdictRules.scenarioVerdict(attempts: [attempt(.fail), attempt(.fail)]) == (.fail, false))
        #expect(VerdictRules.scenarioVerdict(attempts: []) == (.skipped, false))
    }

    @Test func onlyFailuresAreRetried() {
        #expect(VerdictRules.shouldRetry(after: .fail, attempt: 1, of: 3))
        #expect(!VerdictRules.shouldRetry(after: .fail, attempt: 3, of: 3))
        #expect(!VerdictRules.shouldRetry(after: .error, attempt: 1, of: 3))
        #expect(!VerdictRules.shouldRetry(after: .pass, attempt: 1, of: 3))
    }

    @Test func readinessURLsBecomeInSandboxProbes() {
        #expect(
            ServiceStarter.networkProbe(.http(url: "http://localhost:3000/health?deep=1"))
                == NetworkProbe(kind: .http, host: "localhost", port: 3000, path: "/health?deep=1")
        )
        #expect(
            ServiceStarter.networkProbe(.http(url: "http://[::1]/"))
                == NetworkProbe(kind: .http, host: "::1", port: 80, path: "/")
        )
        #expect(
            ServiceStarter.networkProbe(.tcp(port: 5432)) == NetworkProbe(kind: .tcp, host: "127.0.0.1", port: 5432)
        )
        #expect(ServiceStarter.networkProbe(.log(pattern: "ready")) == nil)
    }

    @Test func junitHasOneSuitePerScenarioAndEscapesText() throws {
        let report = ReportBuilder(scopeID: "s<&>")
            .scenario(
                "UNIT",
                .fail,
                cases: [
                    CaseResult(name: "test_a", classname: "t", verdict: .pass, durationMS: 5),
                    CaseResult(
                        name: "test_b",
                        classname: "t",
                        verdict: .fail,
                        durationMS: 5,
                        message: "assert \"x\" < 1\u{1}"
                    ),
                ]
            )
            .scenario("API", .pass, type: "integration")
            .build()
        let xml = JUnitReport.render(report)
        #expect(xml.components(separatedBy: "<testsuite ").count - 1 == 2)
        #expect(xml.contains("name=\"s&lt;&amp;&gt;\""))
        #expect(xml.contains("<failure message=\"assert &quot;x&quot; &lt; 1\u{FFFD}\">"))
        #expect(xml.contains("<testcase name=\"API\" classname=\"integration\""))
        #if canImport(FoundationXML)
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "junit.xml is not well-formed")
        #endif
    }
}

#if canImport(FoundationXML)
import FoundationXML
#endif

extension EngineRulesTests {
    @Test func aRunIDIsTheUTCTimeAndARandomSuffix() throws {
        // 2026-03-04 05:06:07 UTC.
        let id = Harness.makeRunID(at: Date(timeIntervalSince1970: 1_772_600_767))
        #expect(id.hasPrefix("20260304T050607Z-"))
        let suffix = try #require(id.split(separator: "-").last)
        #expect(UInt32(suffix, radix: 16) != nil)
        #expect(Harness.makeRunID(at: Date(timeIntervalSince1970: 1_800_000_000)).hasPrefix("20270115T080000Z-"))
    }
}
