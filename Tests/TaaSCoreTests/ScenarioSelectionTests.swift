import Foundation
import TaaSCore
import Testing

/// `--scenario`, `-k` and `--rerun-failed` as pure selection rules.
@Suite struct ScenarioSelectionTests {
    static let scenarios = [
        Scenario(id: "UNIT-001", type: "unit", action: .command("true")),
        Scenario(id: "API-001", type: "integration", action: .command("true")),
        Scenario(id: "API-002", type: "integration", action: .command("true")),
        Scenario(id: "SLOW-API", type: "e2e", action: .command("true")),
    ]

    static func selected(_ selection: ScenarioSelection) -> [String] {
        selection.apply(to: scenarios).selected.map(\.id)
    }

    @Test(arguments: [
        ("api", ["API-001", "API-002", "SLOW-API"]),
        ("API and not slow", ["API-001", "API-002"]),
        ("unit or e2e", ["UNIT-001", "SLOW-API"]),
        ("not (integration or unit)", ["SLOW-API"]),
        ("integration and not 002 or unit", ["UNIT-001", "API-001"]),
        ("not not unit", ["UNIT-001"]),
        ("nothing-like-this", []),
    ])
    func keywordExpressionsMatchSubstringsOfIdsAndTypes(expression: String, expected: [String]) throws {
        #expect(Self.selected(ScenarioSelection(keyword: try KeywordExpression(expression))) == expected)
    }

    @Test(arguments: [
        ("", 1, "a word or '('"),
        ("api and", 8, "a word or '('"),
        ("(api or unit", 13, "')'"),
        ("api unit", 5, "an operator or the end"),
        ("and api", 1, "a word, 'not' or '('"),
        ("api )", 5, "an operator or the end"),
    ])
    func aBrokenExpressionSaysWhereAndWhatWasExpected(expression: String, column: Int, expected: String) {
        #expect {
            _ = try KeywordExpression(expression)
        } throws: { error in
            let error = error as? KeywordExpressionError
            return error?.offset == column - 1 && error?.expected == expected
                && error?.description.contains("column \(column)") == true
        }
    }

    @Test func scenarioGlobsAreRepeatableAndCombineWithTheExpression() throws {
        #expect(Self.selected(ScenarioSelection(patterns: ["API-*"])) == ["API-001", "API-002"])
        #expect(Self.selected(ScenarioSelection(patterns: ["UNIT-001", "API-00[2]"])) == ["UNIT-001", "API-002"])
        #expect(
            Self.selected(ScenarioSelection(patterns: ["*API*"], keyword: try KeywordExpression("not e2e")))
                == ["API-001", "API-002"]
        )
        let typo = ScenarioSelection(patterns: ["API-*", "UNTI-*"])
        #expect(typo.unmatchedPatterns(ids: Self.scenarios.map(\.id)) == ["UNTI-*"])
        #expect(typo.apply(to: Self.scenarios).deselected.map(\.id) == ["UNIT-001", "SLOW-API"])
    }

    @Test func rerunningFailuresTakesFailedAndErroredScenariosOfTheReport() {
        var report = TaaSReport(
            runID: "20261201T000000Z-1",
            scopeID: "s",
            scopeFingerprint: "sha256:0",
            verdict: .fail,
            startedAt: Date(),
            finishedAt: Date(),
            taasVersion: "0",
            sandbox: SandboxDescription(kind: "jail"),
            scenarios: [
                ScenarioResult(id: "UNIT-001", type: "unit", verdict: .pass),
                ScenarioResult(id: "API-001", type: "integration", verdict: .fail),
                ScenarioResult(id: "API-002", type: "integration", verdict: .skipped),
                ScenarioResult(id: "SLOW-API", type: "e2e", verdict: .error),
            ]
        )
        let failures = ScenarioSelection.failures(of: report)
        #expect(failures.runID == "20261201T000000Z-1")
        #expect(failures.scenarioIDs == ["API-001", "SLOW-API"])
        #expect(Self.selected(ScenarioSelection(rerun: failures)) == ["API-001", "SLOW-API"])
        // Nothing failed: every scenario runs (as pytest's --last-failed does).
        report.scenarios = [ScenarioResult(id: "UNIT-001", type: "unit", verdict: .pass)]
        #expect(Self.selected(ScenarioSelection(rerun: ScenarioSelection.failures(of: report))).count == 4)
    }

    @Test func theReportRecordsTheSelection() throws {
        let selection = ScenarioSelection(
            patterns: ["API-*"],
            keyword: try KeywordExpression("not 002"),
            rerun: ("RUN-1", []),
            failFast: true
        )
        let record = selection.record(selected: ["API-001"], deselected: ["UNIT-001", "API-002", "SLOW-API"])
        let json = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        for key in [
            "\"scenario_patterns\"", "\"keyword\":\"not 002\"", "\"rerun_failed_from\":\"RUN-1\"",
            "\"fail_fast\":true", "\"deselected\"",
        ] {
            #expect(json.contains(key), "\(json)")
        }
        #expect(selection.summary == "--scenario API-* -k \"not 002\" --rerun-failed (run RUN-1) --fail-fast")
    }
}
