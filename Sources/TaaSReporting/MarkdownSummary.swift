import TaaSCore

/// Renders a short Markdown summary of a report (`summary.md`), for a pull-request comment or
/// `$GITHUB_STEP_SUMMARY`: the verdict, a counts table, what failed with the first lines of each
/// message, the scenarios with flaky marks. It has no links, and every text from the report is in
/// code spans or code blocks, so nothing in it is read as Markdown or HTML.
public enum MarkdownSummary {
    /// At most this many failures are listed; the rest are counted.
    public static let failureLimit = 30
    /// At most this many scenarios are listed in the scenario table; the rest are counted.
    public static let scenarioLimit = 100

    public static func render(_ report: TaaSReport) -> String {
        let s = report.summary
        let digest = FailureDigest(report, lines: 3)
        var md = "## \(icon(report.verdict)) \(word(report.verdict)) · \(code(report.scopeID))\n\n"
        var facts = ["\(s.passed) of \(ReportText.count(s.scenarios, "scenario")) passed"]
        if s.cases.total > 0 { facts.append("\(s.cases.passed) of \(ReportText.count(s.cases.total, "case")) passed") }
        if s.flaky > 0 { facts.append("\(s.flaky) flaky") }
        facts.append(ReportText.duration(report.durationMS))
        facts.append(
            "sandbox \(code(report.sandbox.kind))\(report.sandbox.unsafe ? " (**unsafe**: no isolation)" : "")"
        )
        facts.append("run \(code(report.runID))")
        if let lock = ReportText.lockFact(report) { facts.append("lock \(lock)") }
        if report.cached == true { facts.append("cached from run \(code(report.cachedFrom ?? "?"))") }
        md += facts.joined(separator: " · ") + "\n\n"

        md += "| | scenarios | cases |\n| --- | ---: | ---: |\n"
        let caseColumn = s.cases.total > 0
        md += "| passed | \(s.passed) | \(caseColumn ? "\(s.cases.passed)" : "—") |\n"
        md += "| failed | \(s.failed) | \(caseColumn ? "\(s.cases.failed)" : "—") |\n"
        md += "| errored | \(s.errored) | \(caseColumn ? "\(s.cases.errored)" : "—") |\n"
        md += "| skipped | \(s.skipped) | \(caseColumn ? "\(s.cases.skipped)" : "—") |\n"
        md += "| flaky | \(s.flaky) | — |\n"
        md += "| **total** | **\(s.scenarios)** | **\(caseColumn ? "\(s.cases.total)" : "—")** |\n\n"

        if !digest.runErrors.isEmpty || !digest.entries.isEmpty {
            md += "### What failed\n\n"
            var listed = 0
            for error in digest.runErrors {
                md += "- **ERROR** in \(code(error.phase))\n"
                md += block(ReportText.keyLines(error.message, limit: 3, width: 300))
                listed += 1
            }
            for entry in digest.entries where listed < failureLimit {
                md += "- **\(word(entry.verdict))** \(code(entry.scenarioID ?? ""))"
                if let caseName = entry.caseName { md += " › \(code(caseName))" }
                md += "\n" + block(entry.lines)
                listed += 1
            }
            let more = digest.runErrors.count + digest.entries.count - listed
            if more > 0 { md += "- … and \(more) more (see the full report)\n" }
            md += "\n"
        }
        if digest.skipped > 0 {
            md += "\(ReportText.count(digest.skipped, "scenario")) skipped (not run).\n\n"
        }

        if !report.scenarios.isEmpty {
            md +=
                "### Scenarios\n\n| verdict | scenario | type | attempts | cases | time |\n| --- | --- | --- | ---: | ---: | ---: |\n"
            for scenario in report.scenarios.prefix(scenarioLimit) {
                let cases =
                    scenario.cases.isEmpty
                    ? "—" : "\(scenario.cases.count { $0.verdict == .pass })/\(scenario.cases.count)"
                let flaky = scenario.flaky ? " ⚠️ flaky" : ""
                md += "| \(icon(scenario.verdict)) \(word(scenario.verdict))\(flaky) | \(cell(code(scenario.id))) | "
                md +=
                    "\(cell(code(scenario.type))) | \(scenario.attempts.count) | \(cases) | \(ReportText.duration(scenario.durationMS)) |\n"
            }
            if report.scenarios.count > scenarioLimit {
                md += "\n… and \(report.scenarios.count - scenarioLimit) more scenarios (see the full report).\n"
            }
            md += "\n"
        }
        let flaky = report.scenarios.filter(\.flaky)
        if !flaky.isEmpty {
            md += "**Flaky:** "
            md += flaky.map { "\(code($0.id)) (passed on attempt \($0.attempts.count))" }.joined(separator: ", ")
            md += ". A flaky scenario passes, but only after a failed attempt.\n\n"
        }
        md += "<sub>taas \(report.taasVersion.filter { $0.isNumber || $0 == "." }) · every detail is in the run's "
        md += "report.json and logs/</sub>\n"
        return md
    }

    // MARK: - Pieces

    private static func icon(_ verdict: Verdict) -> String {
        switch verdict {
        case .pass: "✅"
        case .fail: "❌"
        case .error: "⛔"
        case .skipped: "⏭️"
        }
    }

    private static func word(_ verdict: Verdict) -> String {
        verdict == .skipped ? "SKIPPED" : verdict.rawValue.uppercased()
    }

    /// A code span that holds `text` exactly: its fence is longer than any run of backticks in it.
    static func code(_ text: String) -> String {
        let flat = String(ReportText.clean(text).map { $0 == "\n" ? " " : $0 })
        let fence = String(repeating: "`", count: longestBacktickRun(flat) + 1)
        let first = flat.unicodeScalars.first
        let last = flat.unicodeScalars.last
        let pad = first == "`" || last == "`" || (first == " " && last == " ") ? " " : ""
        return fence + pad + flat + pad + fence
    }

    /// Text for a table cell: a `|` would end the cell, even inside a code span, unless escaped.
    private static func cell(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "|" { result.append("\\") }
            result.append(scalar)
        }
        return String(result)
    }

    /// An indented fenced code block under a list item (nothing when there are no lines).
    static func block(_ lines: [String]) -> String {
        guard !lines.isEmpty else { return "" }
        let body = lines.map { ReportText.clean($0) }.joined(separator: "\n")
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(body) + 1))
        var md = "  \(fence)text\n"
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) { md += "  \(line)\n" }
        return md + "  \(fence)\n"
    }

    private static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0
        var current = 0
        for scalar in text.unicodeScalars {
            current = scalar == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}
