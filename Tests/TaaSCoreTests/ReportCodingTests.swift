import Foundation
import TaaSCore
import Testing

@Suite struct ReportCodingTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)
    static let end = start.addingTimeInterval(12.5)

    /// A report with a flaky pass, a plain pass, a failure, an error and a skipped scenario.
    static func sampleReport() -> TaaSReport {
        let flaky = ScenarioResult(
            id: "API-001",
            type: "integration",
            verdict: .pass,
            flaky: true,
            durationMS: 3200,
            attempts: [
                AttemptResult(
                    number: 1,
                    verdict: .fail,
                    exitCode: 7,
                    durationMS: 1000,
                    timedOut: false,
                    output: RecordedOutput(
                        stdoutTail: "",
                        stderrTail: "curl: (7) refused\n",
                        stdoutLog: "logs/API-001-1.out",
                        stderrLog: "logs/API-001-1.err"
                    )
                ),
                AttemptResult(
                    number: 2,
                    verdict: .pass,
                    exitCode: 0,
                    durationMS: 200,
                    timedOut: false,
                    output: RecordedOutput(stdoutTail: "ok\n")
                ),
            ]
        )
        let unit = ScenarioResult(
            id: "UNIT-001",
            type: "unit",
            verdict: .pass,
            durationMS: 900,
            attempts: [AttemptResult(number: 1, verdict: .pass, exitCode: 0, durationMS: 900, timedOut: false)],
            cases: [
                CaseResult(name: "test_a", classname: "tests.test_core", verdict: .pass, durationMS: 10),
                CaseResult(name: "test_b", classname: "tests.test_core", verdict: .pass, durationMS: 20),
                CaseResult(
                    name: "test_c",
                    classname: "tests.test_core.TestC",
                    verdict: .skipped,
                    durationMS: 0,
                    message: "needs db"
                ),
            ]
        )
        let failing = ScenarioResult(
            id: "UNIT-002",
            type: "unit",
            verdict: .fail,
            durationMS: 60_000,
            attempts: [
                AttemptResult(
                    number: 1,
                    verdict: .fail,
                    exitCode: nil,
                    durationMS: 60_000,
                    timedOut: true,
                    message: "killed after 60s"
                )
            ],
            cases: [
                CaseResult(
                    name: "test_d",
                    classname: "tests.test_more",
                    verdict: .fail,
                    durationMS: 5,
                    message: "assert 1 == 2"
                ),
                CaseResult(
                    name: "test_e",
                    classname: "tests.test_more",
                    verdict: .error,
                    durationMS: 1,
                    message: "fixture failed"
                ),
                CaseResult(name: "test_f", classname: "tests.test_more", verdict: .pass, durationMS: 2),
            ],
            message: "timed out"
        )
        let errored = ScenarioResult(id: "E2E-001", type: "e2e", verdict: .error, message: "runner crashed")
        let skipped = ScenarioResult(id: "E2E-002", type: "e2e", verdict: .skipped)
        return TaaSReport(
            runID: "run-0001",
            scopeID: "scope-v2",
            scopeFingerprint: "sha256:" + String(repeating: "ab", count: 32),
            verdict: .fail,
            startedAt: start,
            finishedAt: end,
            taasVersion: "0.1.0",
            sandbox: SandboxDescription(
                kind: "jail",
                unsafe: false,
                settings: ["network": "none (own loopback only)", "user": "nobody"]
            ),
            setup: [
                StepResult(
                    command: "python scripts/seed_db.py",
                    exitCode: 0,
                    durationMS: 120,
                    timedOut: false,
                    output: RecordedOutput(
                        stdoutTail: "seeded\n",
                        stdoutLog: "logs/setup-1.out",
                        stderrLog: "logs/setup-1.err"
                    )
                )
            ],
            teardown: [
                StepResult(
                    command: "python scripts/clean_db.py",
                    exitCode: 1,
                    durationMS: 80,
                    timedOut: false,
                    output: RecordedOutput(stderrTail: "boom\n"),
                    message: "exit code 1"
                )
            ],
            services: [
                ServiceResult(
                    name: "gateway",
                    command: "python3 -m gateway.server --port 3000",
                    ready: true,
                    readyAfterMS: 350,
                    output: RecordedOutput(stdoutTail: "listening\n")
                )
            ],
            scenarios: [flaky, unit, failing, errored, skipped],
            errors: [RunError(phase: "teardown", message: "teardown step 1 exited with 1")]
        )
    }

    private func encoded(_ report: TaaSReport = sampleReport()) throws -> JSONValue {
        try JSONParser.parse(try report.jsonData()).value
    }

    @Test func initialiserComputesDurationAndSummary() {
        let report = Self.sampleReport()
        #expect(report.durationMS == 12_500)
        #expect(report.reportVersion == "1.0")
        #expect(report.reportVersion == TaaSReport.currentVersion)
        #expect(report.summary == Summary(scenarios: report.scenarios))
    }

    @Test func summaryCountsAMixOfVerdictsAndAFlakyScenario() {
        let summary = Self.sampleReport().summary
        #expect(summary.scenarios == 5)
        #expect(summary.passed == 2)
        #expect(summary.failed == 1)
        #expect(summary.errored == 1)
        #expect(summary.skipped == 1)
        #expect(summary.flaky == 1)
        #expect(summary.cases == Summary.CaseCounts(total: 6, passed: 3, failed: 1, errored: 1, skipped: 1))
    }

    @Test func summaryOfNothing() {
        let summary = Summary(scenarios: [])
        #expect(
            summary.scenarios == 0 && summary.passed == 0 && summary.failed == 0 && summary.errored == 0
                && summary.skipped == 0
        )
        #expect(summary.flaky == 0)
        #expect(summary.cases == Summary.CaseCounts())
    }

    @Test func topLevelKeysAreTheFixedSnakeCaseNames() throws {
        let json = try encoded()
        #expect(
            json.keys == [
                "duration_ms", "errors", "finished_at", "report_version", "run_id", "sandbox", "scenarios",
                "scope_fingerprint", "scope_id",
                "services", "setup", "started_at", "summary", "taas_version", "teardown", "verdict",
            ]
        )
        #expect(json["report_version"] == .string("1.0"))
        #expect(json["run_id"] == .string("run-0001"))
        #expect(json["scope_id"] == .string("scope-v2"))
        #expect(json["scope_fingerprint"] == .string("sha256:" + String(repeating: "ab", count: 32)))
        #expect(json["verdict"] == .string("fail"))
        #expect(json["started_at"] == .string("2023-11-14T22:13:20.000Z"))
        #expect(json["finished_at"] == .string("2023-11-14T22:13:32.500Z"))
        #expect(json["duration_ms"]?.intValue == 12_500)
        #expect(json["taas_version"] == .string("0.1.0"))
    }

    @Test func nestedKeys() throws {
        let json = try encoded()
        #expect(json["sandbox"]?.keys == ["kind", "settings", "unsafe"])
        #expect(json["sandbox"]?["kind"] == .string("jail"))
        #expect(json["sandbox"]?["unsafe"] == .bool(false))
        #expect(json["sandbox"]?["settings"]?["network"] == .string("none (own loopback only)"))

        let setup = try #require(json["setup"]?[0])
        #expect(
            setup.keys == [
                "command", "duration_ms", "exit_code", "stderr_log", "stderr_tail", "stdout_log", "stdout_tail",
                "timed_out",
            ]
        )
        #expect(setup["command"] == .string("python scripts/seed_db.py"))
        #expect(setup["exit_code"]?.intValue == 0)
        #expect(setup["timed_out"] == .bool(false))
        #expect(setup["stdout_tail"] == .string("seeded\n"))
        #expect(json["teardown"]?[0]?["message"] == .string("exit code 1"))
        #expect(json["teardown"]?[0]?["stderr_tail"] == .string("boom\n"))

        let service = try #require(json["services"]?[0])
        #expect(service.keys == ["command", "name", "ready", "ready_after_ms", "stderr_tail", "stdout_tail"])
        #expect(service["ready"] == .bool(true))
        #expect(service["ready_after_ms"]?.intValue == 350)

        let scenario = try #require(json["scenarios"]?[0])
        #expect(scenario.keys == ["attempts", "cases", "duration_ms", "flaky", "id", "type", "verdict"])
        #expect(scenario["flaky"] == .bool(true))
        let attempt = try #require(scenario["attempts"]?[0])
        #expect(
            attempt.keys == [
                "duration_ms", "exit_code", "number", "stderr_log", "stderr_tail", "stdout_log", "stdout_tail",
                "timed_out", "verdict",
            ]
        )
        #expect(attempt["number"]?.intValue == 1)
        #expect(attempt["verdict"] == .string("fail"))
        #expect(attempt["exit_code"]?.intValue == 7)
        #expect(attempt["stderr_tail"] == .string("curl: (7) refused\n"))
        #expect(attempt["stdout_tail"] == .string(""))
        #expect(json["scenarios"]?[2]?["attempts"]?[0]?["timed_out"] == .bool(true))
        #expect(json["scenarios"]?[2]?["message"] == .string("timed out"))

        let testCase = try #require(json["scenarios"]?[1]?["cases"]?[2])
        #expect(testCase.keys == ["classname", "duration_ms", "message", "name", "verdict"])
        #expect(testCase["classname"] == .string("tests.test_core.TestC"))
        #expect(testCase["verdict"] == .string("skipped"))

        let summary = try #require(json["summary"])
        #expect(summary.keys == ["cases", "errored", "failed", "flaky", "passed", "scenarios", "skipped"])
        #expect(summary["cases"]?.keys == ["errored", "failed", "passed", "skipped", "total"])
        #expect(summary["cases"]?["total"]?.intValue == 6)
        #expect(summary["flaky"]?.intValue == 1)

        #expect(json["errors"]?[0]?.keys == ["message", "phase"])
        #expect(json["errors"]?[0]?["phase"] == .string("teardown"))
    }

    @Test func jsonDataIsPrettySortedAndEndsWithANewline() throws {
        let data = try Self.sampleReport().jsonData()
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.hasSuffix("}\n"))
        #expect(text.hasPrefix("{\n"))
        #expect(text.contains("\"command\" : \"python scripts/seed_db.py\""))
        #expect(!text.contains("\\/"))
    }

    @Test func roundTripsThroughDecode() throws {
        let report = Self.sampleReport()
        let decoded = try TaaSReport.decode(from: try report.jsonData())
        #expect(decoded == report)
        #expect(try decoded.jsonData() == report.jsonData())
    }

    @Test func roundTripsAMinimalReport() throws {
        let report = TaaSReport(
            runID: "r",
            scopeID: "s",
            scopeFingerprint: "sha256:x",
            verdict: .error,
            startedAt: Self.start,
            finishedAt: Self.start,
            taasVersion: "0",
            sandbox: SandboxDescription(kind: "local", unsafe: true)
        )
        #expect(report.durationMS == 0)
        let decoded = try TaaSReport.decode(from: try report.jsonData())
        #expect(decoded == report)
        #expect(decoded.sandbox.unsafe)
        #expect(decoded.summary.scenarios == 0)
    }

    @Test func decodeAcceptsTimestampsWithoutFractionalSecondsAndNullOptionals() throws {
        var text = try #require(String(data: try Self.sampleReport().jsonData(), encoding: .utf8))
        text = text.replacingOccurrences(of: "\"2023-11-14T22:13:20.000Z\"", with: "\"2023-11-14T22:13:20Z\"")
        text = text.replacingOccurrences(of: "\"exit_code\" : 7", with: "\"exit_code\" : null")
        let decoded = try TaaSReport.decode(from: Data(text.utf8))
        #expect(decoded.startedAt == Self.start)
        #expect(decoded.scenarios[0].attempts[0].exitCode == nil)
    }

    @Test func decodeRejectsANonISODate() throws {
        var text = try #require(String(data: try Self.sampleReport().jsonData(), encoding: .utf8))
        text = text.replacingOccurrences(of: "\"2023-11-14T22:13:20.000Z\"", with: "\"yesterday\"")
        #expect(throws: DecodingError.self) { try TaaSReport.decode(from: Data(text.utf8)) }
    }

    @Test func decodeRejectsAnUnknownVerdict() throws {
        var text = try #require(String(data: try Self.sampleReport().jsonData(), encoding: .utf8))
        text = text.replacingOccurrences(of: "\"verdict\" : \"skipped\"", with: "\"verdict\" : \"maybe\"")
        #expect(throws: DecodingError.self) { try TaaSReport.decode(from: Data(text.utf8)) }
    }

    @Test func absentOptionalsAreNotWrittenAsValues() throws {
        let json = try encoded()
        let attempt = try #require(json["scenarios"]?[2]?["attempts"]?[0])
        #expect(attempt["exit_code"] != .number(JSONNumber("0")))
        #expect(attempt["message"] == .string("killed after 60s"))
        #expect(json["services"]?[0]?["message"] == nil)
    }

    @Test
    func missingExitCodeIsWrittenAsNull() throws {
        let json = try encoded()
        let attempt = try #require(json["scenarios"]?[2]?["attempts"]?[0])
        #expect(attempt.keys?.contains("exit_code") == true)
        #expect(attempt["exit_code"] == .null)
    }

    @Test func timestampIsISO8601WithMillisecondsInUTC() {
        #expect(TaaSReport.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(TaaSReport.timestamp(Self.end) == "2023-11-14T22:13:32.500Z")
    }

    @Test(arguments: Verdict.allCases)
    func verdictsEncodeAsTheirLowercaseNames(verdict: Verdict) throws {
        let data = try JSONEncoder().encode([verdict])
        #expect(String(data: data, encoding: .utf8) == "[\"\(verdict.rawValue)\"]")
        #expect(["pass", "fail", "error", "skipped"].contains(verdict.rawValue))
    }

    @Test func stepSucceededOnlyWithExitZeroAndNoTimeout() {
        #expect(StepResult(command: "x", exitCode: 0, durationMS: 1, timedOut: false).succeeded)
        #expect(!StepResult(command: "x", exitCode: 1, durationMS: 1, timedOut: false).succeeded)
        #expect(!StepResult(command: "x", exitCode: nil, durationMS: 1, timedOut: false).succeeded)
        #expect(!StepResult(command: "x", exitCode: 0, durationMS: 1, timedOut: true).succeeded)
    }
}
