import Foundation
import TaaSCore
import TaaSEngine
import TaaSRunners
import TaaSTesting
import Testing

/// A runner added with `RunnerRegistry.adding(_:)` can be named by a scope: the contract takes its
/// runner names from the registry in use.
@Suite struct CustomRunnerTests {
    static let scope = """
        {"scope_id": "custom", "scenarios": [
          {"id": "T", "execution": {"runner": "fake-tool", "target": "suite", "args": ["-v"]},
           "retry_policy": {"attempts": 2, "delay_seconds": 0.01}}]}
        """

    @Test func theBuiltInNamesAreTheCatalogsAndAnAddedRunnerJoinsThem() {
        #expect(RunnerRegistry.standard.executionRunnerNames == RunnerCatalog.knownNames)
        let registry = RunnerRegistry.standard.adding(FakeRunner())
        #expect(registry.executionRunnerNames == RunnerCatalog.knownNames + ["fake-tool"])
        #expect(!registry.executionRunnerNames.contains("command") && !registry.executionRunnerNames.contains("http"))
    }

    @Test func aScopeNamingAnUnregisteredRunnerIsInvalid() throws {
        let error = try #require(throws: InvalidScopeError.self) {
            try TestScope.parse(Data(Self.scope.utf8), runners: RunnerRegistry.standard.executionRunnerNames)
        }
        #expect(error.issues.contains { $0.message.contains("unknown runner \"fake-tool\"") })
    }

    @Test func aScopeValidatesAndRunsWithARunnerAddedToTheRegistry() async throws {
        let runner = FakeRunner(cases: [CaseResult(name: "test_one", classname: "suite", verdict: .pass, durationMS: 3)]
        )
        let registry = RunnerRegistry.standard.adding(runner)
        let scope = try TestScope.parse(Data(Self.scope.utf8), runners: registry.executionRunnerNames).scope

        let folders = try FakeSandboxHarnessTests.Folders()
        defer { folders.remove() }
        let command = FakeRunner.command(name: "fake-tool", target: "suite", arguments: ["-v"])
        let sandbox = FakeSandbox(outcomes: [command: [.exit(3), .exit(0)]])
        let options = RunOptions(
            workspace: folders.workspace,
            outputDirectory: folders.output,
            sandbox: sandbox,
            runners: registry,
            cacheDirectory: folders.root.appendingPathComponent("cache")
        )
        let report = await Harness(options: options).execute(scope)

        #expect(report.verdict == .pass)
        #expect(report.scenarios[0].attempts.map(\.verdict) == [.fail, .pass])
        #expect(report.scenarios[0].cases.map(\.name) == ["test_one"])
        #expect(sandbox.journal.entries.filter { $0.action == .run }.map(\.command) == [command, command])
    }
}
