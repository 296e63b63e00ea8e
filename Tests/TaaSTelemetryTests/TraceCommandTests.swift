import Foundation
import TaaSCore
import TaaSTelemetry
import TaaSTesting
import Testing

/// `taas run --otlp-endpoint` and `taas trace`, run as a user would.
@Suite(.serialized) struct TraceCommandTests {
    static func taas(
        _ arguments: [String],
        environment: [String: String] = [:]
    ) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let process = Process()
        process.executableURL = TestTools.repositoryRoot.appendingPathComponent(".build/debug/taas")
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("OTEL_") && $0.key != "TRACEPARENT"
        }
        variables.merge(environment) { $1 }
        process.environment = variables
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }

    @Test func runExportsAndTracePrintsTheTree() throws {
        let receiver = try OTLPReceiver()
        let fixture = try TelemetryFixture(files: [
            "scope.json": #"""
            {"scope_id": "cli-trace", "lifecycle": {"setup": ["true"]},
             "scenarios": [{"id": "OK-001", "command": "true"}, {"id": "BAD-001", "command": "exit 1"}]}
            """#
        ])
        defer { fixture.remove() }
        let run = try Self.taas([
            "run", fixture.workspace.appendingPathComponent("scope.json").path, "--out", fixture.output.path,
            "--report-format", "json", "--quiet", "--otlp-endpoint", receiver.endpoint,
        ])
        #expect(run.status == 1, "\(run.stderr)")
        let report = try TaaSReport.read(
            from: Data(contentsOf: fixture.output.appendingPathComponent("report.json"))
        )
        #expect(report.telemetry?.exported == true)
        let received = try receiver.requests().first?.spans?.count
        #expect(received == (try fixture.trace().spans.count))

        let trace = try Self.taas(["trace", fixture.output.appendingPathComponent("trace.json").path])
        #expect(trace.status == 0, "\(trace.stderr)")
        let lines = trace.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "trace \(report.telemetry?.traceID ?? "?")")
        #expect(lines[1].hasPrefix("  RUN cli-trace  ") && lines[1].hasSuffix("  ERROR (failure)"))
        #expect(lines.contains { $0.hasPrefix("      setup 1  ") && $0.hasSuffix("  UNSET") })
        #expect(lines.contains { $0.hasPrefix("      BAD-001  ") && $0.hasSuffix("ERROR (failure)") })
        #expect(lines.contains { $0.hasPrefix("        attempt 1  ") })
    }

    @Test func aFileThatIsNotATraceIsRefusedNamingThePath() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "not-a-trace-\(UUID().uuidString).json"
        )
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(#"{"resourceSpans": [{"resource": {}, "scopeSpans": "no"}]}"#.utf8).write(to: file)
        let result = try Self.taas(["trace", file.path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("\(file.path): resourceSpans[0]"), "\(result.stderr)")
    }

    @Test func aBadEndpointIsRefusedBeforeTheRun() throws {
        let result = try Self.taas(["run", "scope.json", "--otlp-endpoint", "localhost:4318"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--otlp-endpoint"), "\(result.stderr)")
    }
}
