import Foundation
import TaaSCore

/// Renders a report as JUnit XML: one `<testsuite>` per scenario, its runner's cases as
/// `<testcase>`s (a scenario without cases is one testcase, and a failed or erred scenario none of
/// whose cases failed gets one more, named after it), setup/teardown problems as a `lifecycle`
/// suite. Readable by common CI systems.
public enum JUnitReport {
    public static func render(_ report: TaaSReport) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let casesOfScenarios = report.scenarios.map(junitCases)
        let tests = casesOfScenarios.reduce(0) { $0 + $1.count }
        let failures = casesOfScenarios.reduce(0) { total, cases in total + cases.count { $0.verdict == .fail } }
        let errors = casesOfScenarios.reduce(0) { total, cases in total + cases.count { $0.verdict == .error } }
        xml += "<testsuites name=\"\(escape(report.scopeID))\" tests=\"\(tests + (report.errors.isEmpty ? 0 : 1))\" "
        xml +=
            "failures=\"\(failures)\" errors=\"\(errors + (report.errors.isEmpty ? 0 : 1))\" time=\"\(seconds(report.durationMS))\">\n"
        for (scenario, cases) in zip(report.scenarios, casesOfScenarios) {
            xml += "  <testsuite name=\"\(escape(scenario.id))\" tests=\"\(cases.count)\" "
            xml +=
                "failures=\"\(cases.count { $0.verdict == .fail })\" errors=\"\(cases.count { $0.verdict == .error })\" "
            xml += "skipped=\"\(cases.count { $0.verdict == .skipped })\" time=\"\(seconds(scenario.durationMS))\">\n"
            xml += "    <properties>\n"
            xml += "      <property name=\"type\" value=\"\(escape(scenario.type))\"/>\n"
            xml += "      <property name=\"verdict\" value=\"\(scenario.verdict.rawValue)\"/>\n"
            xml += "      <property name=\"attempts\" value=\"\(scenario.attempts.count)\"/>\n"
            xml += "      <property name=\"flaky\" value=\"\(scenario.flaky)\"/>\n"
            xml += "    </properties>\n"
            for testCase in cases { xml += render(testCase, scenario: scenario) }
            if let last = scenario.attempts.last {
                if !last.output.stdoutTail.isEmpty {
                    xml += "    <system-out>\(escape(last.output.stdoutTail))</system-out>\n"
                }
                if !last.output.stderrTail.isEmpty {
                    xml += "    <system-err>\(escape(last.output.stderrTail))</system-err>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        if !report.errors.isEmpty {
            xml += "  <testsuite name=\"lifecycle\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n"
            xml += "    <testcase name=\"run\" classname=\"lifecycle\" time=\"0\">\n"
            let message = report.errors.map { "\($0.phase): \($0.message)" }.joined(separator: "\n")
            xml += "      <error message=\"\(escape(report.errors[0].message))\">\(escape(message))</error>\n"
            xml += "    </testcase>\n  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    /// The testcases of a scenario: its runner's cases, or the scenario itself when it has none.
    ///
    /// A scenario that failed or erred while none of its cases did (the runner exited 1 after
    /// writing only passing cases, a case limit, a timeout) gets one more testcase named after the
    /// scenario with its verdict and message, so that a JUnit reader, which sees only the cases,
    /// shows the verdict too.
    static func junitCases(_ scenario: ScenarioResult) -> [CaseResult] {
        if scenario.cases.isEmpty { return [scenarioCase(scenario)] }
        let scenarioFailed = scenario.verdict == .fail || scenario.verdict == .error
        if scenarioFailed, !scenario.cases.contains(where: { $0.verdict == .fail || $0.verdict == .error }) {
            var verdictCase = scenarioCase(scenario)
            verdictCase.durationMS = 0
            verdictCase.message = verdictCase.message ?? "the scenario's verdict is \(scenario.verdict.rawValue)"
            return scenario.cases + [verdictCase]
        }
        return scenario.cases
    }

    private static func scenarioCase(_ scenario: ScenarioResult) -> CaseResult {
        CaseResult(
            name: scenario.id,
            classname: scenario.type,
            verdict: scenario.verdict,
            durationMS: scenario.durationMS,
            message: scenario.message
        )
    }

    private static func render(_ testCase: CaseResult, scenario: ScenarioResult) -> String {
        let classname = testCase.classname.isEmpty ? scenario.id : testCase.classname
        var xml =
            "    <testcase name=\"\(escape(testCase.name))\" classname=\"\(escape(classname))\" time=\"\(seconds(testCase.durationMS))\""
        let message = testCase.message ?? ""
        let firstLine = String(message.split(separator: "\n").first ?? "")
        switch testCase.verdict {
        case .pass:
            return xml + "/>\n"
        case .fail:
            xml += ">\n      <failure message=\"\(escape(firstLine))\">\(escape(message))</failure>\n"
        case .error:
            xml += ">\n      <error message=\"\(escape(firstLine))\">\(escape(message))</error>\n"
        case .skipped:
            xml += ">\n      <skipped message=\"\(escape(firstLine))\"/>\n"
        }
        return xml + "    </testcase>\n"
    }

    /// Milliseconds as seconds with three decimals, `1.005` (integer arithmetic: `String(format:)`
    /// costs microseconds per call, and a report has a call per case).
    static func seconds(_ milliseconds: Int) -> String {
        let whole = max(0, milliseconds)
        let fraction = String(whole % 1000 + 1000).dropFirst()
        return "\(whole / 1000).\(fraction)"
    }

    /// XML-escapes text, showing as `�` the characters that XML 1.0 cannot carry and the C1 controls.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            // C0 controls cannot be in XML 1.0; DEL and the C1 controls (an 8-bit CSI or OSC) can, but a
            // terminal showing the file would obey them.
            case _
            where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE
                || scalar.value == 0xFFFF:
                result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
