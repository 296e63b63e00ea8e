import Foundation
import TaaSCore

/// What the fixer is given, on its standard input and as `heal-request.json` in the copy's root:
/// the diagnosis, the failing cases with their traces and the code around each frame, the law's
/// files (which it must not change), what it may change, and its budget.
enum HealRequest {
    static let fileName = "heal-request.json"

    static func make(
        diagnosis: Diagnosis,
        report: TaaSReport,
        context: DiagnosisContext,
        lawFiles: [String],
        budgetSeconds: Double,
        copy: URL
    ) -> Data {
        let texts = FailureText(outputFolder: context.outputFolder)
        let failing: [JSONValue] = diagnosis.items.map { item in
            let scenario = report.scenarios.first { $0.id == item.scenarioID }
            let testCase = scenario?.cases.first { Diagnoser.caseID($0) == item.caseID }
            let trace =
                scenario.map { scenario in
                    testCase.map { texts.text(of: $0, in: scenario) } ?? texts.text(of: scenario)
                } ?? ""
            let frames: [JSONValue] = item.evidence.filter { $0.kind == "frame" }.compactMap { evidence in
                guard let path = evidence.path, let line = evidence.line else { return nil }
                return .object([
                    JSONMember(key: "path", value: .string(path)),
                    JSONMember(key: "line", value: .number(JSONNumber(String(line)))),
                    JSONMember(key: "law", value: .bool(lawFiles.contains(path))),
                    JSONMember(key: "excerpt", value: .string(excerpt(context.text(of: path), around: line))),
                ])
            }
            return .object([
                JSONMember(key: "scenario_id", value: .string(item.scenarioID)),
                JSONMember(key: "case", value: item.caseID.map { JSONValue.string($0) } ?? JSONValue.null),
                JSONMember(key: "class", value: .string(item.failureClass.rawValue)),
                JSONMember(key: "summary", value: .string(item.summary)),
                JSONMember(key: "trace", value: .string(trace)),
                JSONMember(key: "frames", value: .array(frames)),
            ])
        }
        let document: JSONValue = .object([
            JSONMember(key: "heal_request_version", value: .number(JSONNumber("1"))),
            JSONMember(key: "workspace", value: .string(copy.path)),
            JSONMember(key: "budget_seconds", value: .number(JSONNumber(String(Int(budgetSeconds))))),
            JSONMember(
                key: "rules",
                value: .string(
                    "Change code only. Any change to a law file (the scope, its lock, tests, conftest.py, pytest configuration, locked files) rejects the fix. One cycle: the scope is re-run once after you exit."
                )
            ),
            JSONMember(key: "law_files", value: .array(lawFiles.map { JSONValue.string($0) })),
            JSONMember(
                key: "may_change",
                value: .string("every file of the workspace that is not in law_files")
            ),
            JSONMember(key: "failing", value: .array(failing)),
            JSONMember(key: "diagnosis", value: (try? JSONParser.parse(diagnosis.jsonData()).value) ?? .null),
        ])
        return PrettyJSON.data(document)
    }

    /// The lines around `line` (three before and after), numbered.
    static func excerpt(_ text: String?, around line: Int) -> String {
        guard let text else { return "" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = max(1, line - 3)
        let last = min(lines.count, line + 3)
        guard first <= last else { return "" }
        return (first...last).map { "\($0 == line ? ">" : " ")\(String(format: "%4d", $0)) \(lines[$0 - 1])" }
            .joined(separator: "\n")
    }
}
