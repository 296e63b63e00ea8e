import Foundation
import TaaSCore

/// Renders a report as one self-contained HTML page (`report.html`): no external assets and no
/// scripts (its Content-Security-Policy forbids both), with print styles.
///
/// The page reads from the top: a verdict banner, what failed, the counts, the scenarios (failed
/// ones expanded with their cases' messages and output), setup, services and teardown, run errors
/// and the sandbox's settings. Every text from the report is escaped.
public enum HTMLReport {
    public static func render(_ report: TaaSReport) -> String {
        let digest = FailureDigest(report, lines: 6)
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <title>\(verdictWord(report.verdict)) · \(escape(report.scopeID)) · taas report</title>
            <style>\(stylesheet)</style>
            </head>
            <body>

            """
        html += banner(report)
        html += "<main>\n"
        html += whatFailed(digest)
        html += counts(report.summary)
        html += scenarios(report)
        html += lifecycle(report)
        html += sandbox(report.sandbox)
        html += "</main>\n"
        html += "<footer>taas \(escape(report.taasVersion)) · report format \(escape(report.reportVersion)) · "
        html += "scope fingerprint <code>\(escape(report.scopeFingerprint))</code></footer>\n"
        html += "</body>\n</html>\n"
        return html
    }

    // MARK: - Sections

    private static func banner(_ report: TaaSReport) -> String {
        let s = report.summary
        var headline: String
        switch report.verdict {
        case .pass: headline = "All \(ReportText.count(s.scenarios, "scenario")) passed"
        case .fail: headline = "\(s.failed) of \(ReportText.count(s.scenarios, "scenario")) failed"
        case .error, .skipped: headline = "The run could not verify everything"
        }
        if s.cases.total > 0 {
            let bad = s.cases.failed + s.cases.errored
            headline +=
                bad > 0
                ? " · \(bad) of \(ReportText.count(s.cases.total, "case")) failed"
                : " · \(ReportText.count(s.cases.total, "case"))"
        }
        if s.flaky > 0 { headline += " · \(s.flaky) flaky" }
        var html = "<header class=\"banner \(report.verdict.rawValue)\">\n"
        html += "<div class=\"verdict\">\(verdictWord(report.verdict))</div>\n"
        html += "<div class=\"headline\"><h1>\(escape(report.scopeID))</h1><p>\(escape(headline))</p></div>\n"
        html += "<dl class=\"facts\">"
        html += fact("run", report.runID)
        html += fact("started", readableTime(report.startedAt))
        html += fact("duration", ReportText.duration(report.durationMS))
        html += fact("sandbox", report.sandbox.kind + (report.sandbox.unsafe ? " (UNSAFE: no isolation)" : ""))
        if let lock = ReportText.lockFact(report) { html += fact("lock", lock) }
        if report.cached == true { html += fact("cached", "from run \(report.cachedFrom ?? "?")") }
        html += "</dl>\n</header>\n"
        return html
    }

    private static func whatFailed(_ digest: FailureDigest) -> String {
        guard !digest.runErrors.isEmpty || !digest.entries.isEmpty else { return "" }
        var html = "<section class=\"failures\">\n<h2>What failed</h2>\n"
        for error in digest.runErrors {
            html +=
                "<div class=\"failure error\"><div class=\"title\">\(badge(.error)) <b>\(escape(error.phase))</b></div>"
            html += "<pre>\(escape(error.message))</pre></div>\n"
        }
        for entry in digest.entries {
            html += "<div class=\"failure \(entry.verdict.rawValue)\"><div class=\"title\">\(badge(entry.verdict)) "
            html += "<a href=\"#\(anchor(entry.scenarioID ?? ""))\"><b>\(escape(entry.scenarioID ?? ""))</b></a>"
            if let caseName = entry.caseName { html += " › <code>\(escape(caseName))</code>" }
            html += "</div>"
            if !entry.lines.isEmpty { html += "<pre>\(escape(entry.lines.joined(separator: "\n")))</pre>" }
            html += "</div>\n"
        }
        if digest.skipped > 0 {
            html += "<p class=\"muted\">\(ReportText.count(digest.skipped, "scenario")) skipped (not run).</p>\n"
        }
        return html + "</section>\n"
    }

    private static func counts(_ s: Summary) -> String {
        var html = "<section class=\"counts\">\n<h2>Summary</h2>\n<div class=\"tiles\">\n"
        html += tile("scenarios", s.scenarios, "")
        html += tile("passed", s.passed, "pass")
        html += tile("failed", s.failed, s.failed > 0 ? "fail" : "")
        html += tile("errored", s.errored, s.errored > 0 ? "error" : "")
        html += tile("skipped", s.skipped, s.skipped > 0 ? "skipped" : "")
        html += tile("flaky", s.flaky, s.flaky > 0 ? "flaky" : "")
        html += "</div>\n"
        if s.cases.total > 0 {
            html += "<p class=\"cases\">Test cases: <b>\(s.cases.total)</b> · \(s.cases.passed) passed · "
            html += "<span class=\"\(s.cases.failed > 0 ? "fail-text" : "")\">\(s.cases.failed) failed</span> · "
            html += "<span class=\"\(s.cases.errored > 0 ? "error-text" : "")\">\(s.cases.errored) errored</span> · "
            html += "\(s.cases.skipped) skipped</p>\n"
        }
        return html + "</section>\n"
    }

    private static func scenarios(_ report: TaaSReport) -> String {
        guard !report.scenarios.isEmpty else { return "" }
        var html = "<section class=\"scenarios\">\n<h2>Scenarios</h2>\n"
        html += "<table class=\"overview\"><thead><tr><th>verdict</th><th>scenario</th><th>type</th><th>attempts</th>"
        html += "<th>cases</th><th class=\"num\">time</th></tr></thead><tbody>\n"
        for scenario in report.scenarios {
            let cases =
                scenario.cases.isEmpty
                ? "—" : "\(scenario.cases.count { $0.verdict == .pass })/\(scenario.cases.count) passed"
            html +=
                "<tr class=\"\(scenario.verdict.rawValue)\"><td>\(badge(scenario.verdict))\(scenario.flaky ? " " + flakyMark : "")</td>"
            html +=
                "<td><a href=\"#\(anchor(scenario.id))\">\(escape(scenario.id))</a></td><td>\(escape(scenario.type))</td>"
            html += "<td>\(scenario.attempts.count)</td><td>\(cases)</td>"
            html += "<td class=\"num\">\(ReportText.duration(scenario.durationMS))</td></tr>\n"
        }
        html += "</tbody></table>\n"
        for scenario in report.scenarios { html += scenarioDetails(scenario) }
        return html + "</section>\n"
    }

    private static func scenarioDetails(_ scenario: ScenarioResult) -> String {
        let failed = scenario.verdict == .fail || scenario.verdict == .error
        var html =
            "<details id=\"\(anchor(scenario.id))\" class=\"scenario \(scenario.verdict.rawValue)\"\(failed ? " open" : "")>\n"
        html +=
            "<summary>\(badge(scenario.verdict)) <b>\(escape(scenario.id))</b> <span class=\"muted\">\(escape(scenario.type))"
        html +=
            " · \(ReportText.count(scenario.attempts.count, "attempt")) · \(ReportText.duration(scenario.durationMS))</span>"
        if scenario.flaky { html += " \(flakyMark)" }
        html += "</summary>\n<div class=\"body\">\n"
        if let message = scenario.message { html += "<p class=\"message\">\(escape(message))</p>\n" }
        if !scenario.attempts.isEmpty {
            // A note says what the scenario's message does not: a timeout, or another attempt's reason.
            let notes = scenario.attempts.map { attempt in
                var note = attempt.timedOut ? "timed out" : ""
                if let message = attempt.message, message != scenario.message {
                    note += (note.isEmpty ? "" : "; ") + message
                }
                return note
            }
            let noted = notes.contains { !$0.isEmpty }
            html += "<table><thead><tr><th>attempt</th><th>verdict</th><th>exit code</th><th class=\"num\">time</th>"
            html += noted ? "<th>note</th></tr></thead><tbody>\n" : "</tr></thead><tbody>\n"
            for (attempt, note) in zip(scenario.attempts, notes) {
                html += "<tr><td>\(attempt.number)</td><td>\(badge(attempt.verdict))</td>"
                html += "<td>\(attempt.exitCode.map { "\($0)" } ?? "—")</td>"
                html += "<td class=\"num\">\(ReportText.duration(attempt.durationMS))</td>"
                html += noted ? "<td>\(escape(note))</td></tr>\n" : "</tr>\n"
            }
            html += "</tbody></table>\n"
        }
        let failedCases = scenario.cases.filter { $0.verdict == .fail || $0.verdict == .error }
        for testCase in failedCases {
            html += "<div class=\"case \(testCase.verdict.rawValue)\"><div class=\"title\">\(badge(testCase.verdict)) "
            html += "<code>\(escape(FailureDigest.caseName(testCase)))</code> <span class=\"muted\">"
            html += "\(ReportText.duration(testCase.durationMS))</span></div>"
            if let message = testCase.message, !message.isEmpty { html += "<pre>\(escape(message))</pre>" }
            html += "</div>\n"
        }
        let otherCases = scenario.cases.filter { $0.verdict != .fail && $0.verdict != .error }
        if !otherCases.isEmpty {
            html +=
                "<details class=\"cases\"><summary>\(otherCases.count) other case\(otherCases.count == 1 ? "" : "s") "
            html +=
                "(\(otherCases.count { $0.verdict == .pass }) passed, \(otherCases.count { $0.verdict == .skipped }) skipped)</summary>\n"
            html += "<table><tbody>\n"
            for testCase in otherCases {
                html +=
                    "<tr><td>\(badge(testCase.verdict))</td><td><code>\(escape(FailureDigest.caseName(testCase)))</code>"
                if let message = testCase.message, !message.isEmpty {
                    html += " <span class=\"muted\">\(escape(message))</span>"
                }
                html += "</td><td class=\"num\">\(ReportText.duration(testCase.durationMS))</td></tr>\n"
            }
            html += "</tbody></table></details>\n"
        }
        if let last = scenario.attempts.last {
            html += outputBlock(
                label: scenario.attempts.count > 1 ? "attempt \(last.number) output" : "output",
                last.output,
                open: failed
            )
        }
        return html + "</div>\n</details>\n"
    }

    private static func lifecycle(_ report: TaaSReport) -> String {
        guard !report.setup.isEmpty || !report.services.isEmpty || !report.teardown.isEmpty else { return "" }
        var html = "<section class=\"lifecycle\">\n<h2>Setup, services and teardown</h2>\n"
        html +=
            "<table><thead><tr><th>status</th><th>step</th><th>command</th><th>exit code</th><th class=\"num\">time</th></tr></thead><tbody>\n"
        func stepRows(_ steps: [StepResult], _ phase: String) -> String {
            var rows = ""
            for (index, step) in steps.enumerated() {
                let status: Verdict = step.succeeded ? .pass : .error
                var note = step.timedOut ? "timed out" : ""
                if !step.succeeded, let message = step.message { note += (note.isEmpty ? "" : "; ") + message }
                rows += "<tr class=\"\(status.rawValue)\"><td>\(badge(status))</td><td>\(phase) \(index + 1)</td>"
                rows +=
                    "<td><code>\(escape(step.command))</code>\(note.isEmpty ? "" : "<div class=\"note\">\(escape(note))</div>")</td>"
                rows +=
                    "<td>\(step.exitCode.map { "\($0)" } ?? "—")</td><td class=\"num\">\(ReportText.duration(step.durationMS))</td></tr>\n"
            }
            return rows
        }
        html += stepRows(report.setup, "setup")
        for service in report.services {
            let status: Verdict = service.ready ? .pass : .error
            let when =
                service.readyAfterMS.map { "ready after \(ReportText.duration($0))" }
                ?? (service.ready ? "ready" : "not ready")
            html += "<tr class=\"\(status.rawValue)\"><td>\(badge(status))</td><td>service \(escape(service.name))</td>"
            html += "<td><code>\(escape(service.command))</code>"
            if let message = service.message { html += "<div class=\"note\">\(escape(message))</div>" }
            html += "</td><td>—</td><td class=\"num\">\(escape(when))</td></tr>\n"
        }
        html += stepRows(report.teardown, "teardown")
        html += "</tbody></table>\n"
        for (index, step) in report.setup.enumerated() {
            html += outputBlock(label: "setup \(index + 1) output", step.output, open: !step.succeeded)
        }
        for service in report.services {
            html += outputBlock(label: "service \(service.name) output", service.output, open: !service.ready)
        }
        for (index, step) in report.teardown.enumerated() {
            html += outputBlock(label: "teardown \(index + 1) output", step.output, open: !step.succeeded)
        }
        return html + "</section>\n"
    }

    private static func sandbox(_ sandbox: SandboxDescription) -> String {
        var html = "<section class=\"sandbox\">\n<h2>Sandbox: \(escape(sandbox.kind))</h2>\n"
        if sandbox.unsafe {
            html += "<p class=\"unsafe\">Unsafe: the steps ran as plain host processes, with no isolation.</p>\n"
        }
        if !sandbox.settings.isEmpty {
            html += "<table class=\"settings\"><tbody>\n"
            for (name, value) in sandbox.settings.sorted(by: { $0.key < $1.key }) {
                html += "<tr><th>\(escape(name))</th><td>\(escape(value))</td></tr>\n"
            }
            html += "</tbody></table>\n"
        }
        return html + "</section>\n"
    }

    // MARK: - Pieces

    /// The tails of a step's output (skipped when both are empty), with the paths of the full logs.
    private static func outputBlock(label: String, _ output: RecordedOutput, open: Bool) -> String {
        guard !output.isEmpty else { return "" }
        var html = "<details class=\"output\"\(open ? " open" : "")><summary>\(escape(label))</summary>\n"
        let streams = [
            ("stdout", output.stdoutTail, output.stdoutLog), ("stderr", output.stderrTail, output.stderrLog),
        ]
        for (name, tail, log) in streams where !tail.isEmpty {
            html += "<div class=\"stream\">\(name)"
            if let log {
                html +=
                    " <span class=\"muted\">(last 4 KiB at most; all of it in <a href=\"\(escape(log))\">\(escape(log))</a>)</span>"
            }
            html += "</div><pre class=\"\(name)\">\(escape(tail))</pre>\n"
        }
        return html + "</details>\n"
    }

    private static func fact(_ name: String, _ value: String) -> String {
        "<div><dt>\(escape(name))</dt><dd>\(escape(value))</dd></div>"
    }

    private static func tile(_ name: String, _ value: Int, _ style: String) -> String {
        "<div class=\"tile \(style)\"><div class=\"value\">\(value)</div><div class=\"name\">\(name)</div></div>\n"
    }

    private static func badge(_ verdict: Verdict) -> String {
        "<span class=\"badge \(verdict.rawValue)\">\(verdictWord(verdict))</span>"
    }

    private static let flakyMark =
        "<span class=\"badge flaky\" title=\"passed only after a failed attempt\">FLAKY</span>"

    private static func verdictWord(_ verdict: Verdict) -> String {
        switch verdict {
        case .pass: "PASS"
        case .fail: "FAIL"
        case .error: "ERROR"
        case .skipped: "SKIPPED"
        }
    }

    /// `2026-11-25 23:50:12 UTC`.
    private static func readableTime(_ date: Date) -> String {
        let stamp = TaaSReport.timestamp(date)
        return String(stamp.prefix(19)).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    /// An element id for a scenario: ids match `[A-Za-z0-9][A-Za-z0-9._:-]*`, so only a prefix is needed;
    /// anything else is replaced to keep the attribute safe.
    static func anchor(_ id: String) -> String {
        "scenario-" + String(id.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._:-".contains($0)) ? $0 : "_" })
    }

    /// Text made safe for HTML element content and quoted attributes; control characters and ANSI
    /// escape sequences are cleaned first (see ``ReportText/clean(_:)``).
    public static func escape(_ text: String) -> String {
        // By Unicode scalar, not by character: a `"` followed by a combining mark is one character
        // in Swift, but a browser reads the quote alone.
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in ReportText.clean(text).unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
