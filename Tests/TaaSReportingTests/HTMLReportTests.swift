import Foundation
import TaaSCore
import TaaSReporting
import Testing

@Suite struct HTMLReportTests {
    let html = HTMLReport.render(SampleReports.failing())

    /// How often `needle` occurs in `text`.
    private func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func isSelfContainedAndForbidsScriptsAndRemoteAssets() {
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(
            html.contains(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
            )
        )
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains(" src=\""))
        #expect(!html.contains("url("))
        #expect(!html.contains("href=\"http"))
        #expect(html.contains("<style>") && html.contains("@media print"))
    }

    @Test func escapesEverythingFromTheReport() {
        #expect(!html.contains("<img"))
        #expect(!html.contains("<script>alert"))
        #expect(
            html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
        )
        #expect(html.contains("| pipe &amp; red nul:\u{FFFD} bell:\u{FFFD}"))
        #expect(!html.contains("\u{1B}"))
        #expect(!html.contains("\u{0}"))
        // Escaped text cannot open or close an element: every element that the renderer opens is closed.
        for element in ["details", "section", "table", "pre", "div", "tr", "td", "code", "summary"] {
            #expect(
                count("<\(element)>", in: html) + count("<\(element) ", in: html) == count("</\(element)>", in: html),
                "\(element)"
            )
        }
    }

    @Test func escapeCoversTheFiveSpecialCharacters() {
        #expect(HTMLReport.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        // A quote or bracket followed by a combining mark is one Swift character, but still a quote to a browser.
        #expect(HTMLReport.escape("\"\u{301}<\u{301}") == "&quot;\u{301}&lt;\u{301}")
    }

    @Test func opensWithTheVerdictBannerAndWhatFailed() throws {
        #expect(html.contains("<title>FAIL · pilot-api-gateway · taas report</title>"))
        #expect(html.contains("<header class=\"banner fail\">\n<div class=\"verdict\">FAIL</div>"))
        #expect(html.contains("2 of 5 scenarios failed · 1 of 3 cases failed · 1 flaky"))
        let failures = try #require(html.range(of: "<h2>What failed</h2>"))
        let scenarios = try #require(html.range(of: "<h2>Scenarios</h2>"))
        #expect(failures.lowerBound < scenarios.lowerBound)
        let digest = String(html[failures.upperBound..<scenarios.lowerBound])
        #expect(digest.contains("<b>teardown</b>"))
        #expect(digest.contains("<code>tests.test_core::test_rate_limit_blocks</code>"))
        #expect(digest.contains("E       assert True is False"))
        #expect(digest.contains("href=\"#scenario-UNIT-001\""))
    }

    @Test func failedScenariosAreExpandedAndPassedOnesCollapsed() {
        #expect(html.contains("<details id=\"scenario-UNIT-001\" class=\"scenario fail\" open>"))
        #expect(html.contains("<details id=\"scenario-E2E-001\" class=\"scenario error\" open>"))
        #expect(html.contains("<details id=\"scenario-API-001\" class=\"scenario pass\">"))
        #expect(html.contains("<details id=\"scenario-E2E-002\" class=\"scenario skipped\">"))
        // The failed case's whole message, and the failed command's output with the log's path.
        #expect(html.contains("&gt;       assert bucket.allow() is False"))
        #expect(html.contains("routes differ: expected /users, got /admin"))
        #expect(html.contains("<a href=\"logs/UNIT-001.attempt-1.stdout.log\">"))
    }

    @Test func marksFlakyScenariosAndCountsEverything() {
        #expect(count("class=\"badge flaky\"", in: html) == 2)  // its row and its details
        #expect(
            html.contains("<div class=\"tile flaky\"><div class=\"value\">1</div><div class=\"name\">flaky</div></div>")
        )
        #expect(
            html.contains("<div class=\"tile fail\"><div class=\"value\">2</div><div class=\"name\">failed</div></div>")
        )
        #expect(html.contains("Test cases: <b>3</b> · 1 passed"))
    }

    @Test func showsLifecycleTimingsAndTheSandboxSettings() {
        #expect(html.contains("<code>python3 scripts/seed_db.py</code>"))
        #expect(
            html.contains("<tr class=\"error\"><td><span class=\"badge error\">ERROR</span></td><td>teardown 1</td>")
        )
        #expect(html.contains("<td>service gateway</td>"))
        #expect(html.contains("ready after 207ms"))
        #expect(html.contains("<tr><th>network</th><td>none (own loopback only)</td></tr>"))
        #expect(html.contains("<dt>duration</dt><dd>4.3s</dd>"))
        #expect(html.contains("<dt>started</dt><dd>2023-11-14 22:13:20 UTC</dd>"))
    }

    @Test func attemptNotesAppearOnlyWhenTheySayMoreThanTheScenarioMessage() {
        #expect(!html.contains("<th>note</th>"))
        var report = SampleReports.passing()
        report.scenarios = [
            ScenarioResult(
                id: "SLOW",
                type: "unit",
                verdict: .fail,
                attempts: [
                    AttemptResult(
                        number: 1,
                        verdict: .fail,
                        exitCode: nil,
                        durationMS: 5000,
                        timedOut: true,
                        message: "killed"
                    ),
                    AttemptResult(
                        number: 2,
                        verdict: .fail,
                        exitCode: 1,
                        durationMS: 10,
                        timedOut: false,
                        message: "exit code 1"
                    ),
                ],
                message: "exit code 1"
            )
        ]
        let page = HTMLReport.render(report)
        #expect(page.contains("<th>note</th>"))
        #expect(page.contains("<td class=\"num\">5s</td><td>timed out; killed</td></tr>"))
        #expect(page.contains("<td class=\"num\">10ms</td><td></td></tr>"))
    }

    @Test func aPassingRunHasAGreenBannerAndNoFailureSection() {
        let page = HTMLReport.render(SampleReports.passing())
        #expect(page.contains("<header class=\"banner pass\">"))
        #expect(page.contains("All 1 scenario passed · 1 case"))
        #expect(!page.contains("What failed"))
    }

    @Test func anUnsafeSandboxIsCalledOut() {
        var report = SampleReports.passing()
        report.sandbox = SandboxDescription(kind: "local", unsafe: true)
        let page = HTMLReport.render(report)
        #expect(page.contains("local (UNSAFE: no isolation)"))
        #expect(page.contains("class=\"unsafe\""))
    }
}
