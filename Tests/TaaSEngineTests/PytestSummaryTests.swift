import TaaSCore
import Testing

@testable import TaaSRunners

/// pytest's closing line, read to cross-check its JUnit file.
@Suite struct PytestSummaryTests {
    static func cases(_ verdicts: [Verdict]) -> [CaseResult] {
        verdicts.enumerated().map {
            CaseResult(name: "t\($0.offset)", classname: "m", verdict: $0.element, durationMS: 0)
        }
    }

    @Test(arguments: [
        ("..F\nFAILED tests/test_a.py::t - assert 1\n1 failed, 2 passed in 0.17s\n", ["failed": 1, "passed": 2]),
        (
            "======= 3 passed, 1 deselected, 2 warnings in 0.05s =======\n",
            ["passed": 3, "deselected": 1, "warnings": 2]
        ),
        ("1 passed, 1 error in 1.20s (0:00:01)\n", ["passed": 1, "errors": 1]),
        ("1 skipped, 1 xfailed, 1 xpassed in 0.01s", ["skipped": 1, "xfailed": 1, "xpassed": 1]),
    ])
    func closingLinesAreRead(output: String, counts: [String: Int]) {
        #expect(PytestSummary.parse(output)?.counts == counts)
    }

    @Test func outputWithoutAClosingLineHasNone() {
        #expect(PytestSummary.parse("..\n") == nil)
        #expect(PytestSummary.parse("no tests ran in 0.01s\n") == nil)
    }

    @Test func aJUnitFileRewrittenToPassContradictsTheLine() {
        let summary = PytestSummary(counts: ["failed": 1, "passed": 1])
        #expect(summary.contradiction(with: Self.cases([.pass, .pass]))?.contains("rewritten") == true)
        #expect(summary.contradiction(with: Self.cases([.pass, .fail])) == nil)
        #expect(
            PytestSummary(counts: ["passed": 1]).contradiction(with: Self.cases([.pass, .pass]))?.contains("more than")
                == true
        )
        #expect(PytestSummary(counts: ["passed": 1, "errors": 1]).contradiction(with: Self.cases([.error])) == nil)
    }
}
