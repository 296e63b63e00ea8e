import Foundation
import TaaSCore
import TaaSTesting
import Testing

@testable import TaaSReporting

/// The console says why: a service that is not ready shows the tail of its output, failed cases
/// carry file:line, `-q` still says why a run errored, and colours follow `--color`, `FORCE_COLOR`
/// and `TERM=dumb`.
@Suite struct ConsoleSaysWhyTests {
    @Test func aServiceThatIsNotReadyShowsTheTailOfItsOutput() {
        let capture = ConsoleReporterTests.Capture()
        let console = ConsoleReporter(reportPath: "r", colors: false, statusLine: false, write: { capture.append($0) })
        var service = ServiceResult(
            name: "api",
            command: "python3 -m app",
            ready: false,
            message: "the service ended before it was ready (exit code 1)"
        )
        service.output = RecordedOutput(
            stderrTail:
                "Traceback (most recent call last):\n  File \"app.py\", line 1\nModuleNotFoundError: No module named 'flask'\n"
        )
        console.handle(.serviceReady(service))
        #expect(
            capture.output == """
                  ERROR service api: the service ended before it was ready (exit code 1)
                       its output ended with:
                       Traceback (most recent call last):
                         File "app.py", line 1
                       ModuleNotFoundError: No module named 'flask'

                """
        )
        let silent = ConsoleReporterTests.Capture()
        service.output = RecordedOutput()
        ConsoleReporter(reportPath: "r", colors: false, statusLine: false, write: { silent.append($0) })
            .handle(.serviceReady(service))
        #expect(silent.output.hasSuffix("       (it printed nothing)\n"))
    }

    @Test func quietStillSaysWhyARunErrored() {
        let report = ReportBuilder(scopeID: "s")
            .scenario("A", .pass)
            .error(phase: "services", "service \"api\" is not ready: not ready after 20s; last check: refused\nmore")
            .build()
        let output = ConsoleReporterTests.replay(report, verbosity: .quiet)
        #expect(
            output.hasPrefix(
                "ERROR services: service \"api\" is not ready: not ready after 20s; last check: refused\nERROR s: "
            ),
            "\(output)"
        )
    }

    @Test(
        arguments: [
            ("tests/test_core.py:57: AssertionError", "tests/test_core.py:57"),
            ("calc_test.go:12: got 3, want 2", "calc_test.go:12"),
            ("thread 'add' panicked at src/lib.rs:9:5:", "src/lib.rs:9"),
            ("expected 2, got 3", nil),
        ] as [(String, String?)]
    )
    func failureLocations(message: String, location: String?) {
        #expect(ReportText.location(in: message) == location)
    }

    @Test func pytestsAdviceIsSaidTheTaasWay() {
        let lines = ReportText.keyLines(
            "E       AssertionError: assert [1, 2] == [1, 3]\nE         Use -v to get more diff\n"
        )
        #expect(lines.last?.contains("add \"args\": [\"-vv\"]") == true)
        #expect(!lines.contains { $0.contains("Use -v") })
    }

    @Test(
        arguments: [
            (true, [:], true),
            (true, ["TERM": "dumb"], false),
            (true, ["NO_COLOR": "1"], false),
            (false, [:], false),
            (false, ["FORCE_COLOR": "1"], true),
            (true, ["TERM": "dumb", "FORCE_COLOR": "1"], true),
            (false, ["FORCE_COLOR": "0"], false),
        ] as [(Bool, [String: String], Bool)]
    )
    func colours(terminal: Bool, environment: [String: String], wanted: Bool) {
        #expect(ConsoleReporter.colorsWanted(terminal: terminal, environment: environment) == wanted)
    }
}
