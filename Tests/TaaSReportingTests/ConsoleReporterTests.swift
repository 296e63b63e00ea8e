import Foundation
import Synchronization
import TaaSCore
import Testing

@testable import TaaSReporting

@Suite struct ConsoleReporterTests {
    /// Collects what a reporter writes.
    final class Capture: Sendable {
        private let text = Mutex("")
        var output: String { text.withLock { $0 } }
        func append(_ chunk: String) { text.withLock { $0 += chunk } }
    }

    static func replay(
        _ report: TaaSReport,
        verbosity: ConsoleReporter.Verbosity = .normal,
        statusLine: Bool = false,
        colors: Bool = false
    ) -> String {
        let capture = Capture()
        let console = ConsoleReporter(
            verbosity: verbosity,
            reportPath: "out/report.html",
            colors: colors,
            statusLine: statusLine,
            write: { capture.append($0) }
        )
        console.handle(.runStarted(runID: report.runID, scopeID: report.scopeID, scenarios: report.scenarios.count))
        console.handle(.phaseStarted(.setup))
        for (index, step) in report.setup.enumerated() {
            console.handle(.stepFinished(phase: .setup, index: index, result: step))
        }
        console.handle(.phaseStarted(.scenarios))
        for scenario in report.scenarios {
            for attempt in scenario.attempts {
                console.handle(.attemptStarted(scenarioID: scenario.id, attempt: attempt.number))
                console.tick()
                console.handle(.attemptFinished(scenarioID: scenario.id, attempt: attempt))
            }
            console.handle(.scenarioFinished(scenario))
        }
        console.handle(.phaseStarted(.teardown))
        for (index, step) in report.teardown.enumerated() {
            console.handle(.stepFinished(phase: .teardown, index: index, result: step))
        }
        console.handle(.phaseStarted(.reporting))
        console.handle(.runFinished(report))
        return capture.output
    }

    @Test func plainOutputHasProgressLinesADigestAndTheVerdict() {
        let output = Self.replay(SampleReports.failing())
        #expect(!output.contains("\u{1B}"))
        #expect(
            output.hasPrefix(
                "taas: running pilot-api-gateway (5 scenarios, run 20261125T220558Z-a047f431)\n• setup (at "
            )
        )
        #expect(output.contains("  PASS setup 1: python3 scripts/seed_db.py (90ms)\n"))
        #expect(output.contains("  FAIL [1/5] UNIT-001 (unit, 3 cases, 900ms)\n"))
        #expect(
            output.contains(
                "       ✗ tests.test_core::test_rate_limit_blocks (tests/test_core.py:57): E       assert True is False\n"
            )
        )
        #expect(output.contains("  PASS [2/5] API-001 (integration, 2 attempts, 3.2s) flaky\n"))
        #expect(output.contains("  SKIP [5/5] E2E-002 (e2e, 0ms)\n"))
        let digest = output.components(separatedBy: "What failed:\n").last ?? ""
        #expect(
            digest.hasPrefix(
                """
                  ERROR teardown
                       teardown step 1 (python3 scripts/clean_db.py) failed: exit code 1
                  FAIL UNIT-001 › tests.test_core::test_rate_limit_blocks
                       E       assert True is False
                """
            )
        )
        #expect(
            digest.contains("  FAIL API-002\n       exit code 1\n       │ routes differ: expected /users, got /admin\n")
        )
        #expect(digest.contains("  SKIP 1 scenario not run\n"))
        #expect(
            output.hasSuffix(
                "FAIL pilot-api-gateway: 1 passed, 2 failed, 1 errored, 1 skipped, 1 flaky; cases: 1/3 passed in 4.3s — report: out/report.html\n"
            )
        )
    }

    @Test func quietPrintsTheVerdictLineOnly() {
        let output = Self.replay(SampleReports.failing(), verbosity: .quiet, statusLine: true)
        #expect(
            output
                == "FAIL pilot-api-gateway: 1 passed, 2 failed, 1 errored, 1 skipped, 1 flaky; cases: 1/3 passed in 4.3s — report: out/report.html\n"
        )
    }

    @Test func aPassingRunHasNoDigest() {
        let output = Self.replay(SampleReports.passing())
        #expect(!output.contains("What failed"))
        #expect(
            output.hasSuffix("PASS all-good: 1 passed, 0 failed; cases: 1/1 passed in 1.2s — report: out/report.html\n")
        )
    }

    @Test func verbosePrintsEachAttemptsOutputAfterIt() {
        let output = Self.replay(SampleReports.failing(), verbosity: .verbose)
        #expect(
            output.contains(
                "  → API-001 attempt 1\n  FAIL API-001 attempt 1: exit code 7 (1s)\n      ┃ curl: (7) refused\n"
            )
        )
        #expect(output.contains("  PASS setup 1: python3 scripts/seed_db.py (90ms)\n      │ seeded 3 routes\n"))
        // Output is cleaned of terminal escapes and control bytes before it is printed.
        #expect(output.contains("      │ <script>alert('x')</script>"))
        #expect(!output.contains("\u{1B}[31m"))
    }

    @Test func onATerminalAStatusLineIsRedrawnUnderTheLinesAndClearedAtTheEnd() {
        let output = Self.replay(SampleReports.failing(), statusLine: true, colors: true)
        #expect(output.contains("\r\u{1B}[2K"))
        #expect(output.contains("scenarios · 0/5 scenarios done · "))
        #expect(output.contains(" · running UNIT-001 ("))
        #expect(output.contains("\u{1B}[31;1mFAIL\u{1B}[0m"))
        // After the verdict line nothing is redrawn.
        #expect(output.hasSuffix("— report: out/report.html\n"))
    }

    @Test func packageProgressIsInTheStatusLineAndNeverALineOfItsOwn() {
        for statusLine in [true, false] {
            let capture = Capture()
            let console = ConsoleReporter(
                verbosity: .normal,
                reportPath: "out/report.html",
                colors: false,
                statusLine: statusLine,
                write: { capture.append($0) }
            )
            console.handle(.runStarted(runID: "r", scopeID: "s", scenarios: 1))
            console.handle(.phaseStarted(.preparing))
            console.handle(.progress("venv: 3/7 packages (requests)"))
            console.handle(.progress("venv: installing 7 packages"))
            let lines = capture.output.split(separator: "\n")
            #expect(!lines.contains { $0.hasPrefix("  venv:") }, "\(capture.output)")
            #expect(capture.output.contains("preparing · 0/1 scenarios done · ") == statusLine)
            #expect(capture.output.contains(" · venv: installing 7 packages") == statusLine)
            // A new phase drops the last phase's progress.
            console.handle(.phaseStarted(.scenarios))
            #expect(!capture.output.split(separator: "\r").last!.contains("venv:"))
        }
    }

    @Test func plainOutputSaysWhatIsStillRunningAfterASilence() {
        let capture = Capture()
        let console = ConsoleReporter(
            reportPath: "r",
            colors: false,
            statusLine: false,
            heartbeat: .zero,
            write: { capture.append($0) }
        )
        console.handle(.runStarted(runID: "r", scopeID: "s", scenarios: 2))
        console.handle(.phaseStarted(.scenarios))
        console.handle(.attemptStarted(scenarioID: "SLOW-1", attempt: 2))
        console.tick()
        #expect(capture.output.contains("\n  … still running: scenarios · 0/2 scenarios done · "))
        #expect(capture.output.contains(" · running SLOW-1 (attempt 2, "))
        let silent = ConsoleReporter(reportPath: "r", colors: false, statusLine: false, write: { capture.append($0) })
        let before = capture.output
        silent.tick()
        #expect(capture.output == before)  // within a minute of the last line, nothing is added
    }

    @Test func aStatusLineIsCutToTheTerminalWidth() {
        #expect(ConsoleReporter.fit(String(repeating: "x", count: 300), width: 80).count == 80)
        #expect(ConsoleReporter.fit("short", width: 80) == "short")
    }
}
