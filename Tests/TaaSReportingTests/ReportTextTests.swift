import Foundation
import TaaSCore
import TaaSReporting
import Testing

@Suite struct ReportTextTests {
    @Test func cleanDropsTerminalEscapesAndShowsControlBytes() {
        #expect(ReportText.clean("\u{1B}[31;1mred\u{1B}[0m plain") == "red plain")
        #expect(ReportText.clean("title\u{1B}]0;window\u{07}rest") == "titlerest")
        #expect(ReportText.clean("a\u{0}b\u{7}c") == "a\u{FFFD}b\u{FFFD}c")
        #expect(ReportText.clean("one\r\ntwo\rthree\tend\n") == "one\ntwo\nthree\tend\n")
    }

    @Test func keyLinesOfAPytestTracebackAreItsExplanationAndLocation() {
        let lines = ReportText.keyLines(SampleReports.pytestFailure, limit: 3)
        #expect(
            lines == [
                "E       assert True is False", "E        +  where True = <bound method TokenBucket.allow>()",
                "tests/test_core.py:57: AssertionError",
            ]
        )
        #expect(ReportText.keyLines(SampleReports.pytestFailure, limit: 1) == ["E       assert True is False"])
        // A bare `E` is pytest's blank line inside an explanation, not a line worth showing.
        #expect(
            ReportText.keyLines(
                "E       assert [1] == [2]\nE\nE         At index 0 diff: 1 != 2\nt.py:3: AssertionError",
                limit: 2
            ) == [
                "E       assert [1] == [2]", "E         At index 0 diff: 1 != 2",
            ]
        )
    }

    @Test func keyLinesOfOtherTextAreItsFirstNonEmptyLinesCutToWidth() {
        #expect(ReportText.keyLines("\n  \nfirst\nsecond\nthird\nfourth", limit: 2) == ["first", "second"])
        #expect(
            ReportText.keyLines(String(repeating: "x", count: 50), limit: 1, width: 10) == [
                String(repeating: "x", count: 9) + "…"
            ]
        )
        #expect(ReportText.keyLines("", limit: 3).isEmpty)
    }

    @Test func lastLinesSkipBlankLines() {
        #expect(ReportText.lastLines("a\nb\n\nc\n\n", count: 2) == ["b", "c"])
    }

    @Test func durationsReadAsPeopleSayThem() {
        #expect(ReportText.duration(250) == "250ms")
        #expect(ReportText.duration(1500) == "1.5s")
        #expect(ReportText.duration(125_000) == "2m 5s")
    }
}

@Suite struct LockAndCacheFactTests {
    @Test func aMismatchedLockAndACachedReportShowInEveryReadableFormat() {
        var report = SampleReports.passing()
        report.record(
            LockCheck(
                status: .mismatch,
                fingerprint: "sha256:1",
                files: [LockedFile(path: "tests/test_a.py", digest: "sha256:2")],
                changes: [LockChange(path: "conftest.py", change: .added, actual: "sha256:3")]
            )
        )
        report.cached = true
        report.cachedFrom = "20261126T000000Z-abc"
        let html = HTMLReport.render(report)
        let markdown = MarkdownSummary.render(report)
        #expect(html.contains("MISMATCH: conftest.py was added"))
        #expect(html.contains("from run 20261126T000000Z-abc"))
        #expect(markdown.contains("lock MISMATCH: conftest.py was added"))
        #expect(markdown.contains("cached from run `20261126T000000Z-abc`"))
    }

    @Test func aVerifiedLockCountsItsFilesAndNoLockSaysNothing() {
        var report = SampleReports.passing()
        #expect(ReportText.lockFact(report) == nil)
        report.record(
            LockCheck(
                status: .verified,
                files: [LockedFile(path: "a", digest: "b"), LockedFile(path: "c", digest: "d")]
            )
        )
        #expect(ReportText.lockFact(report) == "verified, 2 files")
    }
}
