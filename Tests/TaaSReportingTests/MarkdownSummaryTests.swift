import Foundation
import TaaSCore
import Testing

@testable import TaaSReporting

@Suite struct MarkdownSummaryTests {
    let md = MarkdownSummary.render(SampleReports.failing())

    @Test func startsWithTheVerdictAndACountsTable() {
        #expect(
            md.hasPrefix(
                "## ❌ FAIL · `pilot-api-gateway`\n\n1 of 5 scenarios passed · 1 of 3 cases passed · 1 flaky · 4.3s"
            )
        )
        #expect(md.contains("| | scenarios | cases |\n| --- | ---: | ---: |\n| passed | 1 | 1 |\n| failed | 2 | 1 |\n"))
        #expect(md.contains("| **total** | **5** | **3** |"))
    }

    @Test func listsWhatFailedWithTheFirstLinesInCodeBlocks() {
        #expect(
            md.contains(
                "- **ERROR** in `teardown`\n  ```text\n  teardown step 1 (python3 scripts/clean_db.py) failed: exit code 1\n  ```\n"
            )
        )
        #expect(
            md.contains(
                "- **FAIL** `UNIT-001` › `tests.test_core::test_rate_limit_blocks`\n  ```text\n  E       assert True is False\n"
            )
        )
        #expect(md.contains("- **ERROR** `E2E-001`\n"))
        #expect(md.contains("1 scenario skipped (not run)."))
    }

    @Test func marksFlakyScenarios() {
        #expect(md.contains("| ✅ PASS ⚠️ flaky | `API-001` |"))
        #expect(md.contains("**Flaky:** `API-001` (passed on attempt 2)"))
    }

    @Test func hasNoLinksAndKeepsReportTextInCode() {
        #expect(!md.contains("]("))
        #expect(!md.contains("<http"))
        // The URL in a failure's output appears only inside a code block.
        let line = md.split(separator: "\n").first { $0.contains("http://127.0.0.1:3000/routes") }
        #expect(line == "  │ see http://127.0.0.1:3000/routes")
        // A `|` in a table cell is escaped so that it does not split the cell.
        #expect(md.contains("| `integ\\|ration` |"))
    }

    @Test func codeSpansAndBlocksOutlastTheBackticksInside() {
        #expect(MarkdownSummary.code("a ``b`` c") == "```a ``b`` c```")
        #expect(MarkdownSummary.code("`x`") == "`` `x` ``")
        #expect(MarkdownSummary.block(["````", "x"]) == "  `````text\n  ````\n  x\n  `````\n")
        #expect(MarkdownSummary.block([]).isEmpty)
    }

    @Test func aPassingRunIsShort() {
        let summary = MarkdownSummary.render(SampleReports.passing())
        #expect(summary.hasPrefix("## ✅ PASS · `all-good`"))
        #expect(!summary.contains("What failed"))
        #expect(summary.split(separator: "\n").count < 20)
    }

    @Test func manyFailuresAreCutWithACount() {
        var report = SampleReports.passing()
        report.scenarios = (1...40).map {
            ScenarioResult(id: "S-\($0)", type: "unit", verdict: .fail, message: "exit code 1")
        }
        report.summary = Summary(scenarios: report.scenarios)
        let summary = MarkdownSummary.render(report)
        #expect(summary.components(separatedBy: "- **FAIL**").count - 1 == MarkdownSummary.failureLimit)
        #expect(summary.contains("- … and 10 more (see the full report)"))
    }
}
