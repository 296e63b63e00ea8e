import Foundation
import TaaSCore
import TaaSDocker
import TaaSSandboxes
import Testing

/// The real sandboxes that every probe of the escape and abuse battery runs in.
enum HostileSandbox: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case jail, venv, docker

    /// The limits every battery scope sets (`environment.limits`), small so that bombs end quickly.
    static let memoryMB = 256
    static let pids = 64

    var testDescription: String { rawValue }

    /// The sandbox; each reads the battery's limits from the scope (docker also its CPU limit).
    var sandbox: any Sandbox {
        switch self {
        case .jail: JailSandbox()
        case .venv: VenvSandbox()
        case .docker: DockerSandbox()
        }
    }

    /// The sandboxes to probe: the Docker one only when an engine answers (scripts/test starts one).
    static var available: [HostileSandbox] {
        DockerAvailability.engineAnswers ? allCases : [.jail, .venv]
    }

    /// The scope's `environment` block.
    func environment(variables: [String: String] = [:]) -> String {
        let env = variables.sorted { $0.key < $1.key }.map {
            "\(HostileScope.quote($0.key)): \(HostileScope.quote($0.value))"
        }
        return """
            {"type": "\(rawValue)", "env": {\(env.joined(separator: ", "))},
             "limits": {"memory_mb": \(Self.memoryMB), "pids": \(Self.pids), "cpus": 1}}
            """
    }
}

/// Builds battery scopes: each probe is a small script in the workspace, run as one scenario.
enum HostileScope {
    struct Probe {
        var id: String
        /// A POSIX shell script (it may start python3 for what the shell cannot do).
        var script: String
        var timeoutSeconds: Int = 60
    }

    /// A JSON string literal.
    static func quote(_ text: String) -> String {
        let data = try! JSONSerialization.data(
            withJSONObject: [text],
            options: [.fragmentsAllowed, .withoutEscapingSlashes]
        )
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }

    /// The workspace files of the probes.
    static func files(_ probes: [Probe]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: probes.map { ("probes/\($0.id).sh", $0.script) })
    }

    /// A scope that runs each probe as a scenario, with optional setup and teardown commands.
    static func scope(
        _ id: String,
        _ probes: [Probe],
        in sandbox: HostileSandbox,
        variables: [String: String] = [:],
        setup: [String] = [],
        teardown: [String] = [],
        teardownTimeoutSeconds: Int? = nil
    ) -> String {
        let scenarios = probes.map {
            #"{"id": "\#($0.id)", "timeout_seconds": \#($0.timeoutSeconds), "command": "sh probes/\#($0.id).sh"}"#
        }
        func steps(_ commands: [String], timeout: Int?) -> String {
            commands.map { command in
                timeout.map { #"{"command": \#(quote(command)), "timeout_seconds": \#($0)}"# } ?? quote(command)
            }.joined(separator: ", ")
        }
        return """
            {"scope_id": "\(id)", "environment": \(sandbox.environment(variables: variables)),
             "lifecycle": {"setup": [\(steps(setup, timeout: nil))], "teardown": [\(steps(teardown, timeout: teardownTimeoutSeconds))]},
             "scenarios": [\(scenarios.joined(separator: ",\n  "))]}
            """
    }
}

/// What every battery test checks after its run: the report was written, and nothing of the run
/// remains (no process, container or sandbox folder).
enum HostileChecks {
    /// The report on disk, decoded (it must exist and be valid).
    static func writtenReport(_ fixture: RunFixture) throws -> TaaSReport {
        let data = try Data(contentsOf: fixture.output.appendingPathComponent("report.json"))
        return try TaaSReport.decode(from: data)
    }

    /// Checks that nothing of the run remains on the host: processes whose command line holds one of
    /// the markers, the sandbox folder, and (for Docker) the run's containers.
    static func nothingRemains(_ report: TaaSReport, markers: [String], sandbox: HostileSandbox) async throws {
        for marker in markers {
            #expect(TestEnvironment.processes(matching: marker).isEmpty, "a process with \(marker) outlived the run")
        }
        #expect(!TestEnvironment.leftoverFolders(runID: report.runID), "the sandbox folder of \(report.runID) remains")
        if sandbox == .docker {
            #expect(
                try await DockerSandboxTests.containers(of: report).isEmpty,
                "a container of \(report.runID) remains"
            )
        }
    }

    /// The scenario of that id; records an issue when there is none.
    static func scenario(_ id: String, in report: TaaSReport) -> ScenarioResult? {
        let found = report.scenarios.first { $0.id == id }
        #expect(found != nil, "no scenario \(id) in the report")
        return found
    }

    /// The stdout and stderr tails of a scenario, for failure messages.
    static func output(_ id: String, in report: TaaSReport) -> String {
        guard let attempt = report.scenarios.first(where: { $0.id == id })?.attempts.last else { return "(no attempt)" }
        return "\(attempt.message ?? "")\nstdout: \(attempt.output.stdoutTail)\nstderr: \(attempt.output.stderrTail)"
    }
}
