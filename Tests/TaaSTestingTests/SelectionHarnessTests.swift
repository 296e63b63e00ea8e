import Foundation
import TaaSCore
import TaaSEngine
import TaaSTesting
import Testing

/// The engine runs only the selected scenarios, stops at the first failure with `--fail-fast`
/// (teardown still runs) and records the selection in the report.
@Suite struct SelectionHarnessTests {
    static let scope = """
        {"scope_id": "sel", "lifecycle": {"setup": ["seed"], "teardown": ["clean"]},
         "scenarios": [
           {"id": "UNIT-001", "type": "unit", "command": "check unit"},
           {"id": "API-001", "type": "integration", "command": "check api1"},
           {"id": "API-002", "type": "integration", "command": "check api2"},
           {"id": "API-003", "type": "integration", "command": "check api3"}]}
        """

    static func run(
        _ selection: ScenarioSelection,
        on sandbox: FakeSandbox,
        in folders: FakeSandboxHarnessTests.Folders
    ) async throws -> TaaSReport {
        let scope = try TestScope.parse(Data(Self.scope.utf8)).scope
        var options = RunOptions(
            workspace: folders.workspace,
            outputDirectory: folders.output,
            cacheDirectory: folders.root.appendingPathComponent("cache")
        )
        options.sandboxes = .standard.adding(sandbox)
        options.sandboxKind = sandbox.kind
        options.selection = selection
        return await Harness(options: options).execute(scope)
    }

    @Test func onlySelectedScenariosRunAndTheRestAreRecordedAsDeselected() async throws {
        let folders = try FakeSandboxHarnessTests.Folders()
        defer { folders.remove() }
        let sandbox = FakeSandbox()
        let report = try await Self.run(
            ScenarioSelection(patterns: ["API-*"], keyword: try KeywordExpression("not 003")),
            on: sandbox,
            in: folders
        )
        #expect(report.verdict == .pass, "deselected scenarios do not make a passing selection an error")
        #expect(report.scenarios.map(\.id) == ["API-001", "API-002"])
        #expect(report.selection?.selected == ["API-001", "API-002"])
        #expect(report.selection?.deselected == ["UNIT-001", "API-003"])
        #expect(report.selection?.scenarioPatterns == ["API-*"])
        #expect(report.selection?.keyword == "not 003")
        #expect(sandbox.journal.stepLabels == ["setup-1", "API-001.attempt-1", "API-002.attempt-1", "teardown-1"])
        let written = try TaaSReport.decode(
            from: Data(contentsOf: folders.output.appendingPathComponent("report.json"))
        )
        #expect(written.selection == report.selection)
    }

    @Test func failFastSkipsTheRestAndTeardownStillRuns() async throws {
        let folders = try FakeSandboxHarnessTests.Folders()
        defer { folders.remove() }
        let sandbox = FakeSandbox(outcomes: ["check api1": [.exit(1, stdout: "1 failed\n")]])
        let report = try await Self.run(ScenarioSelection(failFast: true), on: sandbox, in: folders)
        #expect(report.verdict == .fail)
        #expect(report.scenarios.map(\.verdict) == [.pass, .fail, .skipped, .skipped])
        #expect(report.scenarios[2].message?.contains("--fail-fast stopped the run after API-001") == true)
        #expect(report.selection?.failFast == true)
        #expect(report.selection?.deselected == [])
        #expect(sandbox.journal.stepLabels == ["setup-1", "UNIT-001.attempt-1", "API-001.attempt-1", "teardown-1"])
    }

    @Test func withoutFailFastEveryScenarioRunsAfterAFailure() async throws {
        let folders = try FakeSandboxHarnessTests.Folders()
        defer { folders.remove() }
        let sandbox = FakeSandbox(outcomes: ["check api1": [.exit(1, stdout: "1 failed\n")]])
        let report = try await Self.run(ScenarioSelection(patterns: ["*"]), on: sandbox, in: folders)
        #expect(report.scenarios.map(\.verdict) == [.pass, .fail, .pass, .pass])
    }

    @Test func aSelectionThatMatchesNothingIsAnErrorAndNothingRuns() async throws {
        let folders = try FakeSandboxHarnessTests.Folders()
        defer { folders.remove() }
        let sandbox = FakeSandbox()
        let report = try await Self.run(ScenarioSelection(patterns: ["NOPE-*"]), on: sandbox, in: folders)
        #expect(report.verdict == .error)
        #expect(report.errors.map(\.phase) == ["selection"])
        #expect(report.errors.first?.message.contains("(--scenario NOPE-*) matches none") == true)
        #expect(report.errors.first?.message.contains("UNIT-001, API-001, API-002, API-003") == true)
        #expect(sandbox.journal.entries.isEmpty, "no sandbox was started for nothing")
    }

    @Test func rerunFailedTakesTheFailuresOfTheLastReportInTheOutputFolder() async throws {
        let folders = try FakeSandboxHarnessTests.Folders()
        defer { folders.remove() }
        #expect(throws: RunRequestError.self) { try Judge.lastFailures(in: folders.output) }
        let first = try await Self.run(
            ScenarioSelection(),
            on: FakeSandbox(outcomes: ["check api2": [.exit(1, stdout: "1 failed\n")]]),
            in: folders
        )
        #expect(first.verdict == .fail)
        let failures = try Judge.lastFailures(in: folders.output)
        #expect(failures.runID == first.runID)
        #expect(failures.scenarioIDs == ["API-002"])
        let sandbox = FakeSandbox()
        let rerun = try await Self.run(ScenarioSelection(rerun: failures), on: sandbox, in: folders)
        #expect(rerun.verdict == .pass)
        #expect(rerun.scenarios.map(\.id) == ["API-002"])
        #expect(rerun.selection?.rerunFailedFrom == first.runID)
        #expect(sandbox.journal.stepLabels == ["setup-1", "API-002.attempt-1", "teardown-1"])
    }
}
