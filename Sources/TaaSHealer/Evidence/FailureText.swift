import Foundation
import TaaSCore

/// The text a failure's evidence is read from: the case's message (pytest's JUnit message, which
/// is often one line), plus the case's section of pytest's `FAILURES` report in the attempt's full
/// output (the log file beside the report, else the output's tail in the report).
struct FailureText: Sendable {
    /// The report's output folder, where `logs/` lies.
    var outputFolder: URL?

    /// The last attempt's standard output, from its log file when it can be read.
    func output(of scenario: ScenarioResult) -> String {
        guard let attempt = scenario.attempts.last else { return "" }
        if let outputFolder, let log = attempt.output.stdoutLog,
            let data = FileManager.default.contents(atPath: outputFolder.appendingPathComponent(log).path)
        {
            return String(decoding: data.prefix(8 << 20), as: UTF8.self)
        }
        return attempt.output.stdoutTail
    }

    /// The text of one failed case.
    func text(of testCase: CaseResult, in scenario: ScenarioResult) -> String {
        let message = testCase.message ?? ""
        let section = Self.section(named: testCase.name, in: output(of: scenario))
        guard !section.isEmpty, !message.contains(section) else { return message }
        return message + "\n" + section
    }

    /// The text of a scenario without cases: its message, the last attempt's message and output.
    func text(of scenario: ScenarioResult) -> String {
        var parts = [scenario.message ?? ""]
        if let attempt = scenario.attempts.last {
            parts += [attempt.message ?? "", output(of: scenario), attempt.output.stderrTail]
        }
        return parts.joined(separator: "\n")
    }

    /// The lines of pytest's report for `name`: from its `____ name ____` header (or
    /// `____ Class.name ____`) to the next header or `====` line.
    static func section(named name: String, in output: String) -> String {
        var lines: [Substring] = []
        var inside = false
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if let header = line.firstMatch(of: #/^_{3,} (.+?) _{3,}$/#) {
                let title = header.output.1
                if inside { break }
                inside = title == name || title.hasSuffix("." + name)
                continue
            }
            if inside {
                if line.hasPrefix("====") || line.hasPrefix("----------") { break }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }
}
