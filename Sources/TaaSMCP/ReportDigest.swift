import Foundation
import MCP
import TaaSCore
import TaaSReporting

/// A report as a tool returns it: the verdict, the summary, the failures with their key lines (the
/// same digest as the console's), the run's errors and where report.json is.
enum ReportDigest {
    /// The structured content for `report`, written at `reportFile`.
    static func value(_ report: TaaSReport, reportFile: URL, scenarios includeScenarios: Bool = false) -> Value {
        let digest = FailureDigest(report, lines: 8)
        var fields: [String: Value] = [
            "verdict": .string(report.verdict.rawValue),
            "run_id": .string(report.runID),
            "scope_id": .string(report.scopeID),
            "report_path": .string(reportFile.path),
            "summary": (try? Value(report.summary)) ?? .null,
            "failures": .array(
                digest.entries.map { entry in
                    var failure: [String: Value] = [
                        "verdict": .string(entry.verdict.rawValue),
                        "title": .string(entry.title),
                        "key_lines": .array(entry.lines.map { .string($0) }),
                    ]
                    if let scenario = entry.scenarioID { failure["scenario"] = .string(scenario) }
                    if let name = entry.caseName { failure["case"] = .string(name) }
                    return .object(failure)
                }
            ),
            "errors": .array(
                report.errors.map { .object(["phase": .string($0.phase), "message": .string($0.message)]) }
            ),
        ]
        if let selection = report.selection, let value = try? Value(selection) { fields["selection"] = value }
        if includeScenarios {
            fields["scenarios"] = .array(
                report.scenarios.map { scenario in
                    var item: [String: Value] = [
                        "id": .string(scenario.id),
                        "type": .string(scenario.type),
                        "verdict": .string(scenario.verdict.rawValue),
                        "duration_ms": .int(scenario.durationMS),
                        "cases": .int(scenario.cases.count),
                    ]
                    if scenario.flaky { item["flaky"] = true }
                    if let message = scenario.message { item["message"] = .string(message) }
                    return .object(item)
                }
            )
        }
        return .object(fields)
    }

    /// The text content for `report`: the verdict line and the failures, as a person reads them.
    static func text(_ report: TaaSReport, reportFile: URL) -> String {
        let summary = report.summary
        var lines = [
            "\(report.verdict.rawValue.uppercased()) \(report.scopeID): \(summary.passed) passed, \(summary.failed) failed, "
                + "\(summary.errored) errored, \(summary.skipped) skipped — report: \(reportFile.path)"
        ]
        let digest = FailureDigest(report, lines: 8)
        for error in digest.runErrors { lines.append("error (\(error.phase)): \(error.message)") }
        for entry in digest.entries {
            lines.append("\(entry.verdict.rawValue.uppercased()) \(entry.title)")
            lines += entry.lines.map { "    \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
