import Foundation
import TaaSCore
import Testing

@testable import TaaSReporting

#if canImport(FoundationXML)
import FoundationXML
#endif

/// junit.xml agrees with the verdict: a scenario that failed or erred while all its cases passed
/// (the runner exited 1 after writing only passing cases) counts one `<error>` or `<failure>` in a
/// testcase named after the scenario, so a CI reader that sees only the cases does not show it green.
@Suite struct JUnitVerdictTests {
    static func report(_ verdict: Verdict, message: String?) -> TaaSReport {
        var report = SampleReports.passing()
        report.verdict = verdict
        report.scenarios[0].verdict = verdict
        report.scenarios[0].message = message
        report.scenarios[0].cases.append(CaseResult(name: "test_b", classname: "t", verdict: .pass, durationMS: 2))
        return report
    }

    /// The counts of every `<testsuites>`/`<testsuite>` element, and every testcase with its outcome element.
    final class Counts: NSObject, XMLParserDelegate {
        var suites: [String: [String: String]] = [:]
        var outcomes: [(testcase: String, outcome: String, message: String)] = []
        private var testcase = ""

        func parser(
            _ parser: XMLParser,
            didStartElement elementName: String,
            namespaceURI: String?,
            qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch elementName {
            case "testsuites", "testsuite":
                suites[elementName == "testsuites" ? "*" : attributes["name"] ?? ""] = attributes
            case "testcase": testcase = attributes["name"] ?? ""
            case "failure", "error": outcomes.append((testcase, elementName, attributes["message"] ?? ""))
            default: break
            }
        }

        static func of(_ xml: String) -> Counts {
            let counts = Counts()
            let parser = XMLParser(data: Data(xml.utf8))
            parser.delegate = counts
            #expect(parser.parse(), "junit.xml is not well-formed")
            return counts
        }
    }

    @Test func anErroredScenarioWithOnlyPassingCasesCountsAnError() {
        let counts = Counts.of(
            JUnitReport.render(Self.report(.error, message: "the command ended with exit code 1 but no test failed"))
        )
        #expect(counts.suites["*"]?["errors"] == "1")
        #expect(counts.suites["*"]?["tests"] == "3")
        #expect(counts.suites["UNIT-001"]?["errors"] == "1")
        #expect(counts.suites["UNIT-001"]?["failures"] == "0")
        #expect(counts.outcomes.count == 1)
        #expect(counts.outcomes.first?.testcase == "UNIT-001")
        #expect(counts.outcomes.first?.outcome == "error")
        #expect(counts.outcomes.first?.message.contains("exit code 1") == true)
    }

    @Test func aFailedScenarioWithOnlyPassingCasesCountsAFailure() {
        let counts = Counts.of(JUnitReport.render(Self.report(.fail, message: nil)))
        #expect(counts.suites["*"]?["failures"] == "1")
        #expect(counts.suites["UNIT-001"]?["failures"] == "1")
        #expect(counts.outcomes.map(\.outcome) == ["failure"])
        #expect(counts.outcomes.first?.message == "the scenario's verdict is fail")
    }

    @Test func aFailedCaseIsNotCountedTwice() {
        var report = Self.report(.fail, message: "1 test failed: test_b")
        report.scenarios[0].cases[1].verdict = .fail
        let counts = Counts.of(JUnitReport.render(report))
        #expect(counts.suites["*"]?["failures"] == "1")
        #expect(counts.suites["*"]?["tests"] == "2")
        #expect(counts.outcomes.map(\.testcase) == ["test_b"])
    }

    @Test func aPassingScenarioAddsNothing() {
        let counts = Counts.of(JUnitReport.render(Self.report(.pass, message: nil)))
        #expect(counts.suites["*"]?["tests"] == "2")
        #expect(counts.outcomes.isEmpty)
    }

    /// junit.xml may be shown on a terminal: C0 and C1 controls become `�`.
    @Test func controlCharactersAreNotWrittenIntoJUnitXML() {
        #expect(
            JUnitReport.escape("a\u{1B}[2Jb\u{9B}2Jc\u{9D}52;c;x\u{9C}d")
                == "a\u{FFFD}[2Jb\u{FFFD}2Jc\u{FFFD}52;c;x\u{FFFD}d"
        )
    }
}
