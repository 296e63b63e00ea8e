import Foundation
import TaaSCore
import TaaSEngine
import Testing

/// The report's `timing`: where a real jail run's time went, phase by phase, and `--verbose`'s table of it.
@Suite(.serialized) struct RunTimingTests {
    static let scope = """
        {"scope_id": "timing", "lifecycle": {"setup": ["true"], "teardown": ["true"]},
         "scenarios": [{"id": "S-1", "command": "sleep 0.2"}]}
        """

    @Test func aJailRunRecordsItsPhasesInOrderAndReportJSONKeepsThem() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(Self.scope)
        #expect(report.verdict == .pass, "\(report.errors)")
        let timing = try #require(report.timing)
        #expect(timing.origin == "run")  // no process start given: a program embedding the engine
        let names = timing.phases.map(\.name)
        for name in [
            "workspace_manifest", "sandbox_start", "agent_binary", "workspace_copy", "agent_start", "setup",
            "scenarios", "teardown", "sandbox_stop", "report_rendering",
        ] {
            #expect(names.contains(name), "\(name) missing from \(names)")
        }
        #expect(timing.phases.allSatisfy { $0.startMS >= 0 && $0.durationMS >= 0 })
        #expect(timing.phases.map(\.startMS) == timing.phases.map(\.startMS).sorted())

        let start = try #require(timing.phase("sandbox_start"))
        let agent = try #require(timing.phase("agent_start"))
        let copy = try #require(timing.phase("workspace_copy"))
        let setup = try #require(timing.phase("setup"))
        let scenarios = try #require(timing.phase("scenarios"))
        let teardown = try #require(timing.phase("teardown"))
        let stop = try #require(timing.phase("sandbox_stop"))
        // The sandbox's own phases lie inside sandbox_start (the copy overlaps the agent's start).
        for inner in [agent, copy] {
            #expect(inner.startMS >= start.startMS && inner.endMS <= start.endMS + 0.01, "\(inner) in \(start)")
        }
        #expect(copy.startMS >= agent.startMS)
        // The lifecycle follows in order; the scenario's 0.2 s sleep is in its phase.
        #expect(setup.startMS >= start.endMS - 0.01)
        #expect(scenarios.startMS >= setup.endMS - 0.01 && teardown.startMS >= scenarios.endMS - 0.01)
        #expect(scenarios.durationMS >= 200)
        #expect(stop.startMS >= teardown.endMS - 0.01)
        let rendering = try #require(timing.phase("report_rendering"))
        #expect(rendering.startMS >= stop.endMS - 0.01)
        // What happens before the report is made lies within the run's duration; the rendering of
        // the report files comes after it.
        let beforeTheReport = timing.phases.filter { $0.name != "report_rendering" }
        #expect(beforeTheReport.allSatisfy { $0.endMS <= Double(report.durationMS) + 5 }, "\(timing)")

        let written = try TaaSReport.read(
            from: Data(contentsOf: fixture.output.appendingPathComponent("report.json"))
        )
        #expect(written.timing == report.timing)
    }

    @Test func verboseRunPrintsTheTimingFromTheProcessStart() throws {
        let fixture = try RunFixture(files: ["scope.json": Self.scope])
        defer { fixture.remove() }
        let result = try CommandLineTests.taas([
            "run", fixture.workspace.appendingPathComponent("scope.json").path, "--out", fixture.output.path,
            "--verbose", "--color", "never",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Timing (ms since taas started; phases may overlap):"), "\(result.stdout)")
        for name in ["startup", "sandbox_start", "agent_start", "scenarios", "reporting (the report files"] {
            #expect(result.stdout.contains(name), "\(name) not printed")
        }
        let report = try TaaSReport.read(from: Data(contentsOf: fixture.output.appendingPathComponent("report.json")))
        let timing = try #require(report.timing)
        #expect(timing.origin == "process")
        let startup = try #require(timing.phases.first)
        #expect(startup.name == "startup" && startup.startMS == 0 && startup.durationMS > 0)

        let quiet = try CommandLineTests.taas([
            "run", fixture.workspace.appendingPathComponent("scope.json").path, "--out", fixture.output.path,
        ])
        #expect(!quiet.stdout.contains("Timing"))
    }
}
