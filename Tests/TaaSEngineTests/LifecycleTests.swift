import Foundation
import TaaSCore
import TaaSEngine
import Testing

/// End-to-end runs through the real harness and the real bubblewrap jail.
@Suite(.serialized) struct LifecycleTests {
    @Test func passingScopeRunsEveryPhaseInOrder() async throws {
        let fixture = try RunFixture(files: ["data.txt": "hello\n"])
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "ok", "lifecycle": {"setup": ["echo seeded > /tmp/state"], "teardown": ["cat /tmp/state"]},
             "scenarios": [{"id": "S1", "type": "unit", "command": "grep -q hello data.txt && cat /tmp/state"}]}
            """
        )
        #expect(report.verdict == .pass)
        #expect(report.setup.map(\.exitCode) == [0])
        #expect(report.scenarios[0].attempts[0].output.stdoutTail == "seeded\n")
        #expect(report.teardown[0].output.stdoutTail == "seeded\n")
        #expect(report.summary.passed == 1)
        #expect(report.sandbox.kind == "jail")
        #expect(report.scopeFingerprint.hasPrefix("sha256:"))
        #expect(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("report.json").path))
        #expect(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("junit.xml").path))
        #expect(!TestEnvironment.leftoverFolders(runID: report.runID))
    }

    @Test func failingCommandFailsWithItsExitCode() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            #"{"scope_id": "f", "scenarios": [{"id": "S1", "command": "echo nope >&2; exit 4"}, {"id": "S2", "command": "true"}]}"#
        )
        #expect(report.verdict == .fail)
        #expect(report.scenarios[0].verdict == .fail)
        #expect(report.scenarios[0].attempts[0].exitCode == 4)
        #expect(report.scenarios[0].attempts[0].output.stderrTail == "nope\n")
        #expect(report.scenarios[1].verdict == .pass)
        #expect(report.summary.failed == 1 && report.summary.passed == 1)
    }

    @Test func missingCommandIsAnErrorNotAFailure() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            #"{"scope_id": "m", "scenarios": [{"id": "S1", "command": "no-such-tool --x"}]}"#
        )
        #expect(report.verdict == .error)
        #expect(report.scenarios[0].verdict == .error)
        #expect(report.scenarios[0].message?.contains("could not be run") == true)
    }

    @Test func flakyScenarioPassesOnRetryAndIsMarked() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "flaky", "scenarios": [{"id": "S1",
              "command": "if [ -f /tmp/tried ]; then echo second; else touch /tmp/tried; echo first; exit 1; fi",
              "retry_policy": {"attempts": 3, "backoff": "linear", "delay_seconds": 0.05}}]}
            """
        )
        #expect(report.verdict == .pass)
        let scenario = report.scenarios[0]
        #expect(scenario.flaky)
        #expect(scenario.attempts.map(\.verdict) == [.fail, .pass])
        #expect(report.summary.flaky == 1)
    }

    @Test func retriesStopAfterTheLastAttempt() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            #"{"scope_id": "r", "scenarios": [{"id": "S1", "command": "exit 1", "retry_policy": {"attempts": 3, "backoff": "none"}}]}"#
        )
        #expect(report.scenarios[0].attempts.count == 3)
        #expect(report.scenarios[0].verdict == .fail)
        #expect(!report.scenarios[0].flaky)
    }

    @Test func failedSetupSkipsScenariosRunsTeardownAndErrors() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "s", "lifecycle": {"setup": ["true", "exit 7", "echo never"], "teardown": ["echo cleaned"]},
             "scenarios": [{"id": "S1", "command": "true"}]}
            """
        )
        #expect(report.verdict == .error)
        #expect(report.setup.map(\.exitCode) == [0, 7])
        #expect(report.scenarios[0].verdict == .skipped)
        #expect(report.teardown.first?.output.stdoutTail == "cleaned\n")
        #expect(report.errors.contains { $0.phase == "setup" && $0.message.contains("exit 7") })
    }

    @Test func teardownRunsAfterAFailedScenarioAndAFailedTeardownIsAnError() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "t", "lifecycle": {"teardown": ["exit 3", "echo second"]},
             "scenarios": [{"id": "S1", "command": "exit 1"}]}
            """
        )
        #expect(report.scenarios[0].verdict == .fail)
        #expect(report.teardown.map(\.exitCode) == [3, 0])
        #expect(report.verdict == .error)
        #expect(report.errors.contains { $0.phase == "teardown" })
    }

    @Test func timeoutKillsTheWholeProcessTree() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let marker = "4242.\(Int.random(in: 100...999))"
        let report = try await fixture.run(
            """
            {"scope_id": "to", "scenarios": [{"id": "S1", "timeout_seconds": 0.5,
              "command": "sleep \(marker) & setsid sh -c 'sleep \(marker)' & sleep \(marker)"}]}
            """
        )
        let attempt = try #require(report.scenarios[0].attempts.first)
        #expect(attempt.timedOut)
        #expect(report.scenarios[0].verdict == .fail)
        #expect(report.scenarios[0].message?.contains("timed out") == true)
        #expect(TestEnvironment.processes(matching: "sleep \(marker)").isEmpty)
    }

    @Test func processesAScenarioLeavesBehindEndWithIt() async throws {
        // alive.sh PATTERN: is a process whose command line matches PATTERN running? (Patterns
        // are written "[s]leep ..." so that they never match the checking processes themselves.)
        let fixture = try RunFixture(files: [
            "alive.sh": "for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < $f 2>/dev/null; echo; done | grep -q \"$1\"\n"
        ])
        defer { fixture.remove() }
        let marker = "5151.\(Int.random(in: 100...999))"
        let report = try await fixture.run(
            """
            {"scope_id": "leftovers", "lifecycle": {"setup": ["sleep \(marker)1 &"],
              "teardown": ["sh alive.sh '[s]leep \(marker)1'"]},
             "scenarios": [
               {"id": "daemon", "command": "(setsid sh -c 'sleep \(marker)2' &) ; true"},
               {"id": "gone", "command": "! sh alive.sh '[s]leep \(marker)2'"}]}
            """
        )
        #expect(report.scenarios.map(\.verdict) == [.pass, .pass], "a daemon of a scenario outlived its step")
        #expect(report.teardown.first?.exitCode == 0, "a background process of setup did not live until teardown")
        #expect(report.verdict == .pass)
        #expect(TestEnvironment.processes(matching: "sleep \(marker)").isEmpty)
    }

    @Test func scopeCannotChangeTheUsersWorkspace() async throws {
        let fixture = try RunFixture(files: ["keep.txt": "original\n"])
        defer { fixture.remove() }
        let report = try await fixture.run(
            #"{"scope_id": "w", "scenarios": [{"id": "S1", "command": "echo changed > keep.txt && rm -f keep.txt && touch new.txt"}]}"#
        )
        #expect(report.verdict == .pass)
        #expect(
            try String(contentsOf: fixture.workspace.appendingPathComponent("keep.txt"), encoding: .utf8)
                == "original\n"
        )
        #expect(!FileManager.default.fileExists(atPath: fixture.workspace.appendingPathComponent("new.txt").path))
    }

    @Test func outputFloodIsCappedOnDiskAndInTheReport() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            #"{"scope_id": "flood", "scenarios": [{"id": "S1", "command": "head -c 20000000 /dev/zero | tr '\\0' 'x'; echo; echo END"}]}"#,
            logLimitBytes: 1_000_000
        )
        let attempt = try #require(report.scenarios[0].attempts.first)
        #expect(attempt.output.stdoutTail.hasSuffix("END\n"))
        #expect(attempt.output.stdoutTail.utf8.count <= 4096)
        let log = fixture.output.appendingPathComponent(try #require(attempt.output.stdoutLog))
        let size = try FileManager.default.attributesOfItem(atPath: log.path)[.size] as? Int
        #expect(size == 1_000_000)
    }

    @Test func parallelJobsRunScenariosAtTheSameTime() async throws {
        // Each scenario waits for the other's mark: they can only both pass when they run together.
        let scope = """
            {"scope_id": "jobs", "scenarios": [
              {"id": "A", "timeout_seconds": 5, "command": "touch /tmp/a; while [ ! -f /tmp/b ]; do sleep 0.05; done"},
              {"id": "B", "timeout_seconds": 5, "command": "touch /tmp/b; while [ ! -f /tmp/a ]; do sleep 0.05; done"}]}
            """
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let parallel = try await fixture.run(scope, jobs: 2)
        #expect(parallel.scenarios.map(\.verdict) == [.pass, .pass])
        let serial = try await fixture.run(
            scope.replacingOccurrences(of: "\"timeout_seconds\": 5", with: "\"timeout_seconds\": 0.5"),
            jobs: 1
        )
        #expect(serial.scenarios[0].verdict == .fail)
        #expect(serial.scenarios[0].attempts[0].timedOut)
    }

    @Test func hostEnvironmentDoesNotLeakButScopeVariablesDo() async throws {
        setenv("TAAS_TEST_SECRET", "s3cret", 1)
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "env", "environment": {"env": {"GREETING": "hi there"}},
             "scenarios": [{"id": "S1", "command": "test \\"$GREETING\\" = 'hi there' && test -z \\"$TAAS_TEST_SECRET\\""}]}
            """
        )
        #expect(report.verdict == .pass)
    }
}
