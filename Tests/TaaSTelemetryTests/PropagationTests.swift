import Foundation
import TaaSCore
import TaaSDocker
import TaaSEngine
import TaaSSandboxes
import TaaSTelemetry
import Testing

/// `TRACEPARENT` inside the real sandboxes, and the `traceparent` header of HTTP checks, matched
/// against the spans of the run's `trace.json`.
@Suite(.serialized) struct PropagationTests {
    /// A setup step, a service and a scenario that each print the TRACEPARENT they were given.
    static let printingScope = #"""
        {"scope_id": "propagation",
         "lifecycle": {"setup": ["echo \"TP=$TRACEPARENT\""]},
         "services": [{"name": "echoer", "command": "echo \"TP=$TRACEPARENT\"; exec sleep 60",
                       "ready": {"log": "^TP=", "timeout_seconds": 20}}],
         "scenarios": [{"id": "PRINT-001", "command": "echo \"TP=$TRACEPARENT\" && echo \"TS=${TRACESTATE:-none}\""}]}
        """#

    /// The `TP=` value a step printed.
    static func printed(_ output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("TP=") }.map { String($0.dropFirst(3)) }
    }

    /// Checks that each process saw the traceparent of its own span in trace.json.
    static func expectEachProcessNamesItsSpan(_ fixture: TelemetryFixture, _ report: TaaSReport) throws {
        #expect(report.verdict == .pass, "\(report.errors) \(report.scenarios.map { ($0.id, $0.message) })")
        let trace = try fixture.trace()
        let traceID = try #require(report.telemetry?.traceID)
        #expect(trace.spans.allSatisfy { $0.traceId == traceID })

        let attempt = try #require(report.scenarios.first?.attempts.first)
        let scenarioValue = try #require(printed(attempt.output.stdoutTail), "the scenario printed \(attempt.output)")
        let scenarioParent = try #require(TraceParent(parsing: scenarioValue), "not a traceparent: \(scenarioValue)")
        #expect(scenarioParent.traceID == traceID)
        let attemptSpan = try #require(trace.span(id: scenarioParent.spanID), "no span \(scenarioParent.spanID)")
        #expect(attemptSpan.name == "attempt 1")
        #expect(trace.span(id: attemptSpan.parentSpanId ?? "")?.name == "PRINT-001")
        #expect(attempt.output.stdoutTail.contains("TS=none"))

        let setup = try #require(report.setup.first)
        let setupValue = try #require(printed(setup.output.stdoutTail), "setup printed \(setup.output)")
        #expect(trace.span(id: try #require(TraceParent(parsing: setupValue)).spanID)?.name == "setup 1")

        let service = try #require(report.services.first)
        let serviceValue = try #require(printed(service.output.stdoutTail), "the service printed \(service.output)")
        #expect(trace.span(id: try #require(TraceParent(parsing: serviceValue)).spanID)?.name == "service echoer")
    }

    @Test func theJailGivesEachProcessItsSpan() async throws {
        let fixture = try TelemetryFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(Self.printingScope, sandbox: JailSandbox())
        try Self.expectEachProcessNamesItsSpan(fixture, report)
    }

    @Test func theVenvGivesEachProcessItsSpan() async throws {
        let fixture = try TelemetryFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(Self.printingScope, sandbox: VenvSandbox())
        #expect(report.sandbox.kind == "venv")
        try Self.expectEachProcessNamesItsSpan(fixture, report)
    }

    @Test(.enabled(if: DockerEngine.answers, "no Docker engine answers (scripts/docker-engine start)"))
    func dockerGivesEachProcessItsSpan() async throws {
        let fixture = try TelemetryFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(Self.printingScope, sandbox: DockerSandbox()) {
            $0.limits = ResourceLimits(memoryMB: 256, pids: 64, cpus: 1)
        }
        #expect(report.sandbox.kind == "docker")
        try Self.expectEachProcessNamesItsSpan(fixture, report)
    }

    @Test func aRunStartedInsideATraceJoinsItAndPassesTracestateOn() async throws {
        let fixture = try TelemetryFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            Self.printingScope,
            environment: [
                "TRACEPARENT": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                "TRACESTATE": "ci=42",
            ]
        )
        #expect(report.telemetry?.traceID == "0af7651916cd43dd8448eb211c80319c")
        let run = try fixture.trace().span(named: "RUN propagation")
        #expect(run.parentSpanId == "b7ad6b7169203331")
        #expect(report.scenarios.first?.attempts.first?.output.stdoutTail.contains("TS=ci=42") == true)
    }

    @Test func anHTTPCheckSendsTheTraceparentOfItsCaseSpan() async throws {
        let server = #"""
            import http.server, sys
            class H(http.server.BaseHTTPRequestHandler):
                def log_message(self, *a): pass
                def do_GET(self):
                    print("traceparent=" + str(self.headers.get("traceparent")), flush=True)
                    self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
            http.server.HTTPServer(("127.0.0.1", 3211), H).serve_forever()
            """#
        let fixture = try TelemetryFixture(files: ["server.py": server])
        defer { fixture.remove() }
        let report = try await fixture.run(
            #"""
            {"scope_id": "http-trace",
             "services": [{"name": "api", "command": "python3 server.py", "ready": {"tcp": 3211, "timeout_seconds": 20}}],
             "scenarios": [{"id": "HTTP-001", "http": [{"url": "http://127.0.0.1:3211/hello", "expect": {"status": 200}}]}]}
            """#
        )
        #expect(report.verdict == .pass, "\(report.errors) \(report.scenarios.map { ($0.id, $0.message) })")
        let output = try #require(report.services.first).output.stdoutTail
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("traceparent=") }, "\(output)")
        let header = try #require(TraceParent(parsing: String(line.dropFirst("traceparent=".count))), "\(line)")
        let trace = try fixture.trace()
        let span = try #require(trace.span(id: header.spanID))
        #expect(span.name == "http.1. GET /hello")
        #expect(span.attribute("test.case.name")?.stringValue == "http.1. GET /hello")
        #expect(header.traceID == report.telemetry?.traceID)
    }
}
