import Foundation
import TaaSCore
import Testing

/// `taas` receives SIGINT or SIGTERM in each phase of a run: the scenarios stop, services are
/// stopped, teardown runs (to its end when the signal came during teardown), the report is written
/// with verdict `error` and says the run was interrupted, and nothing remains.
@Suite(.serialized) struct InterruptionPhaseTests {
    enum Phase: String, CaseIterable, CustomTestStringConvertible {
        case setup, services, scenarios, teardown
        var testDescription: String { rawValue }
    }

    static let cases: [(Phase, Int32)] = Phase.allCases.flatMap { phase in [(phase, SIGINT), (phase, SIGTERM)] }

    /// A scope whose `phase` lasts long enough to be interrupted.
    static func scope(_ phase: Phase, marker: String) -> String {
        let long = "sleep \(marker)"
        let setup = phase == .setup ? #"["\#(long)"]"# : #"["true"]"#
        let services =
            phase == .services
            ? #"[{"name": "svc", "command": "\#(long)", "ready": {"log": "never printed", "timeout_seconds": 120}}]"#
            : "[]"
        let scenario = phase == .scenarios ? long : "true"
        let teardown = phase == .teardown ? "sleep 2; echo teardown-ran" : "echo teardown-ran"
        return """
            {"scope_id": "interrupt-\(phase.rawValue)", "lifecycle": {"setup": \(setup), "teardown": ["\(teardown)"]},
             "services": \(services), "scenarios": [{"id": "S", "command": "\(scenario)"}]}
            """
    }

    @Test(arguments: cases)
    func aSignalInAnyPhaseRunsTeardownAndWritesAnErrorReport(phase: Phase, signal: Int32) throws {
        let marker = "6\(Int.random(in: 100...999)).\(Int.random(in: 10000...99999))"
        let fixture = try RunFixture(files: ["scope.json": Self.scope(phase, marker: marker)])
        defer { fixture.remove() }
        let result = try CommandLineTests.taas(
            [
                "run", fixture.workspace.appendingPathComponent("scope.json").path, "--sandbox", "jail", "--out",
                fixture.output.path,
            ],
            waitFor: "• \(phase.rawValue)"
        ) { process in
            Thread.sleep(forTimeInterval: 0.3)
            kill(process.processIdentifier, signal)
        }
        #expect(result.status == 2, "\(result.stdout)\n\(result.stderr)")
        let report = try HostileChecks.writtenReport(fixture)
        #expect(report.verdict == .error)
        #expect(report.errors.contains { $0.message.contains("interrupted") }, "\(report.errors)")
        #expect(report.teardown.first?.output.stdoutTail == "teardown-ran\n", "\(report.teardown)")
        if phase == .services { #expect(report.services.first?.name == "svc") }
        #expect(TestEnvironment.processes(matching: "sleep \(marker)").isEmpty)
        #expect(!TestEnvironment.leftoverFolders(runID: report.runID))
    }
}
