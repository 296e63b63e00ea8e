import Foundation
import TaaSCore
import TaaSEngine
import TaaSRunners
import TaaSTesting
import Testing

/// The engine runs a scope on a sandbox it has never heard of: the ``FakeSandbox``, registered in a
/// ``SandboxRegistry`` and chosen by kind, with no engine change and no process started.
@Suite struct FakeSandboxHarnessTests {
    /// A temporary workspace and output folder.
    struct Folders {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("taas-fake-\(UUID().uuidString)")
        var workspace: URL { root.appendingPathComponent("workspace") }
        var output: URL { root.appendingPathComponent("out") }

        init() throws {
            try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static func run(
        _ json: String,
        on sandbox: FakeSandbox,
        runners: RunnerRegistry = .standard,
        in folders: Folders
    ) async throws -> TaaSReport {
        let scope = try TestScope.parse(Data(json.utf8), runners: runners.executionRunnerNames).scope
        var options = RunOptions(
            workspace: folders.workspace,
            outputDirectory: folders.output,
            runners: runners,
            cacheDirectory: folders.root.appendingPathComponent("cache")
        )
        options.sandboxes = .standard.adding(sandbox)
        options.sandboxKind = sandbox.kind
        return await Harness(options: options).execute(scope)
    }

    @Test func aScopeRunsInOrderWithRetriesAndTheVerdictOfItsScenarios() async throws {
        let folders = try Folders()
        defer { folders.remove() }
        let sandbox = FakeSandbox(outcomes: [
            "check flaky": [.exit(1, stderr: "refused\n"), .exit(0, stdout: "ok\n")],
            "check broken": [.exit(1, stdout: "1 failed\n")],
        ])
        let report = try await Self.run(
            """
            {"scope_id": "fake", "lifecycle": {"setup": ["seed"], "teardown": ["clean"]},
             "services": [{"name": "api", "command": "serve", "ready": {"tcp": 3000}}],
             "scenarios": [
               {"id": "FLAKY", "command": "check flaky", "retry_policy": {"attempts": 3, "delay_seconds": 0.01}},
               {"id": "BROKEN", "command": "check broken", "retry_policy": {"attempts": 2, "delay_seconds": 0.01}}]}
            """,
            on: sandbox,
            in: folders
        )

        #expect(report.sandbox.kind == "fake")
        #expect(report.verdict == .fail)
        #expect(report.scenarios.map(\.verdict) == [.pass, .fail])
        #expect(report.scenarios[0].flaky)
        #expect(report.scenarios[0].attempts.map(\.verdict) == [.fail, .pass])
        #expect(report.scenarios[1].attempts.count == 2, "a failing scenario is retried up to its attempts")
        #expect(report.services.map(\.name) == ["api"])
        #expect(report.teardown.map(\.command) == ["clean"])
        // setup → services → scenarios (with their retries) → services stopped → teardown.
        let order = sandbox.journal.entries.filter { $0.action != .probe }.map(\.description)
        #expect(
            order == [
                "started \(report.runID)", "run setup-1", "start service-api", "run FLAKY.attempt-1",
                "run FLAKY.attempt-2",
                "run BROKEN.attempt-1", "run BROKEN.attempt-2", "stop service-api", "run teardown-1",
                "ended \(report.runID)",
            ]
        )
        #expect(FileManager.default.fileExists(atPath: folders.output.appendingPathComponent("report.json").path))
    }

    @Test func aFailedSetupSkipsTheScenariosAndTeardownStillRuns() async throws {
        let folders = try Folders()
        defer { folders.remove() }
        let sandbox = FakeSandbox(outcomes: ["seed": [.exit(7, stderr: "no seed\n")]])
        let report = try await Self.run(
            """
            {"scope_id": "fake", "lifecycle": {"setup": ["seed", "never"], "teardown": ["clean", "clean again"]},
             "services": [{"name": "api", "command": "serve"}],
             "scenarios": [{"id": "S", "command": "check"}]}
            """,
            on: sandbox,
            in: folders
        )

        #expect(report.verdict == .error)
        #expect(report.scenarios.map(\.verdict) == [.skipped])
        #expect(report.errors.contains { $0.message.contains("setup step 1 (seed) failed") })
        #expect(sandbox.journal.stepLabels == ["setup-1", "teardown-1", "teardown-2"])
    }

    @Test func aSandboxThatCannotStartIsAnErrorReportNotACrash() async throws {
        let folders = try Folders()
        defer { folders.remove() }
        let sandbox = FakeSandbox(startError: SandboxError(.startFailed, "the fake cannot start"))
        let report = try await Self.run(
            #"{"scope_id": "fake", "scenarios": [{"id": "S", "command": "check"}]}"#,
            on: sandbox,
            in: folders
        )
        #expect(report.verdict == .error)
        #expect(report.errors.map(\.message) == ["the fake cannot start"])
        #expect(sandbox.journal.entries.isEmpty)
    }

    @Test func aSandboxThatDoesNotIsolateNeedsConsent() async throws {
        let folders = try Folders()
        defer { folders.remove() }
        let sandbox = FakeSandbox(kind: "bare", isolates: false)
        let report = try await Self.run(
            #"{"scope_id": "fake", "scenarios": [{"id": "S", "command": "check"}]}"#,
            on: sandbox,
            in: folders
        )
        #expect(report.verdict == .error)
        #expect(report.errors.first?.message.contains("--unsafe-local") == true)
        #expect(sandbox.journal.entries.isEmpty, "nothing ran without consent")
    }
}
