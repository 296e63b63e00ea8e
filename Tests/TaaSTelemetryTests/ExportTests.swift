import Foundation
import TaaSCore
import TaaSEngine
import TaaSSandboxes
import TaaSTelemetry
import TaaSTesting
import Testing

/// Exports to a real OTLP/HTTP receiver on loopback (Python, opentelemetry-proto), and collectors
/// that are dead, failing or slow.
@Suite(.serialized) struct ExportTests {
    /// A quick scope with one passing and one failing scenario.
    static let quickScope = #"""
        {"scope_id": "quick",
         "scenarios": [{"id": "OK-001", "command": "true"},
                       {"id": "BAD-001", "command": "echo 'ValueError: no' >&2; exit 3"}]}
        """#

    @Test func thePilotsSpanTreeArrivesAsProtobuf() async throws {
        let receiver = try OTLPReceiver()
        let fixture = try TelemetryFixture.pilot()
        defer { fixture.remove() }
        let report = try await fixture.run(sandbox: VenvSandbox(), endpoint: receiver.endpoint)
        #expect(report.verdict == .pass, "\(report.errors) \(report.scenarios.map { ($0.id, $0.message) })")
        #expect(report.telemetry?.exported == true, "\(String(describing: report.telemetry))")
        #expect(report.telemetry?.error == nil)
        // report.json is written after the export (the other files meanwhile), with its outcome.
        let written = try TaaSReport.read(from: Data(contentsOf: fixture.output.appendingPathComponent("report.json")))
        #expect(written.telemetry == report.telemetry)
        #expect(written.timing?.phase("telemetry") != nil)

        let requests = try receiver.requests()
        try #require(requests.count == 1)
        let request = requests[0]
        #expect(request.path == "/v1/traces")
        #expect(request.contentType == "application/x-protobuf")
        #expect(request.decodeError == nil)
        let spans = try #require(request.spans)
        let byID = Dictionary(spans.map { ($0.spanId, $0) }, uniquingKeysWith: { first, _ in first })
        func parent(_ name: String) -> String? {
            spans.first { $0.name == name }.flatMap { byID[$0.parentSpanId]?.name }
        }
        let run = try #require(spans.first { $0.parentSpanId.isEmpty })
        #expect(run.name == "RUN pilot-api-gateway")
        #expect(run.kind == 2)
        #expect(run.attributes["cicd.pipeline.result"] == .string("success"))
        #expect(run.attributes["cicd.pipeline.run.id"] == .string(report.runID))
        #expect(run.resource["service.name"] == .string("taas"))
        #expect(run.scope == "maestro-taas")
        #expect(spans.allSatisfy { $0.traceId == report.telemetry?.traceID })
        #expect(parent("setup") == run.name && parent("setup 1") == "setup")
        #expect(parent("services") == run.name && parent("service gateway") == "services")
        #expect(parent("scenarios") == run.name)
        for id in ["UNIT-001", "API-001", "API-002"] { #expect(parent(id) == "scenarios") }
        #expect(parent("teardown 1") == "teardown")
        let unit = try #require(spans.first { $0.name == "UNIT-001" })
        let unitAttempt = try #require(spans.first { $0.name == "attempt 1" && $0.parentSpanId == unit.spanId })
        let cases = spans.filter { $0.parentSpanId == unitAttempt.spanId }
        #expect(cases.count == report.scenarios.first { $0.id == "UNIT-001" }?.cases.count)
        #expect(cases.allSatisfy { $0.attributes["test.case.result.status"] == .string("pass") })
        #expect(spans.allSatisfy { $0.status.code == 0 })
        // The export and trace.json are the same spans.
        #expect(Set(try fixture.trace().spans.map(\.spanId)) == Set(spans.map(\.spanId)))
    }

    @Test func aBrokenCaseArrivesAsAnErrorSpanWithItsExceptionOverJSON() async throws {
        let receiver = try OTLPReceiver()
        let fixture = try TelemetryFixture.pilot()
        defer { fixture.remove() }
        let core = fixture.workspace.appendingPathComponent("gateway/core.py")
        let source = try String(contentsOf: core, encoding: .utf8)
        try source.replacingOccurrences(of: "name.strip().lower()", with: "name.strip()")
            .write(to: core, atomically: true, encoding: .utf8)
        let report = try await fixture.run(
            sandbox: VenvSandbox(),
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"]
        )
        #expect(report.verdict == .fail)
        let request = try #require(try receiver.requests().first)
        #expect(request.contentType == "application/json")
        let spans = try #require(request.spans)
        let failed = try #require(spans.first { $0.status.code == 2 && $0.attributes["test.case.name"] != nil })
        #expect(failed.name.contains("normalize_headers"))
        #expect(failed.attributes["test.case.result.status"] == .string("fail"))
        #expect(failed.attributes["error.type"] == .string(failed.status.message))
        #expect(failed.status.message.count < 40 && !failed.status.message.contains(" "))
        let exception = try #require(failed.events.first { $0.name == "exception" })
        #expect(exception.attributes["exception.type"] == .string(failed.status.message))
        #expect(exception.attributes["exception.message"] != nil)
        #expect(exception.attributes["exception.stacktrace"] != nil)
        let unit = try #require(spans.first { $0.name == "UNIT-001" })
        #expect(unit.status.code == 2)
        #expect(unit.attributes["test.suite.run.status"] == .string("failure"))
        #expect(spans.first { $0.parentSpanId.isEmpty }?.attributes["cicd.pipeline.result"] == .string("failure"))
    }

    @Test(arguments: ["dead", "fail", "slow"])
    func aCollectorThatIsDownFailingOrSlowCostsABoundedDelayAndNoVerdict(_ kind: String) async throws {
        let baselineFixture = try TelemetryFixture()
        defer { baselineFixture.remove() }
        let baseline = try await baselineFixture.run(Self.quickScope)
        #expect(baseline.verdict == .fail)

        var receiver: OTLPReceiver?
        if kind != "dead" { receiver = try OTLPReceiver(mode: kind == "fail" ? .fail : .slow) }
        let dead = try deadPort()
        let endpoint = receiver?.endpoint ?? "http://127.0.0.1:\(dead)"
        let fixture = try TelemetryFixture()
        defer { fixture.remove() }
        let clock = ContinuousClock()
        let started = clock.now
        let report = try await fixture.run(Self.quickScope, endpoint: endpoint)
        let elapsed = clock.now - started
        #expect(report.verdict == baseline.verdict)
        #expect(report.scenarios.map(\.verdict) == baseline.scenarios.map(\.verdict))
        #expect(report.telemetry?.exported == false)
        let error = try #require(report.telemetry?.error)
        switch kind {
        case "dead": #expect(error.contains("cannot reach the collector"), "\(error)")
        case "fail": #expect(error.contains("answered 500"), "\(error)")
        default: #expect(error.contains("did not answer within 2000 ms"), "\(error)")
        }
        // The export adds at most its 2 s bound. The slow collector hangs for 30 s, so a run that
        // waited for it would take 30 s more; the slack is for a machine loaded by the whole suite
        // (this is a bound on waiting, not a benchmark).
        #expect(elapsed < .seconds(2) + .seconds(baseline.durationMS / 1000 + 20), "took \(elapsed)")
        #expect(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("trace.json").path))
    }

    @Test func theExportItselfEndsWithinTheBoundWhenTheCollectorHangs() async throws {
        let receiver = try OTLPReceiver(mode: .slow)
        let scope = try TestScope.parse(Data(Self.quickScope.utf8)).scope
        let report = ReportBuilder(scopeID: "quick").scenario("OK-001", .pass).build()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("taas-bound-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let configuration = try TelemetryConfiguration.resolve(
            environment: [:],
            endpoint: receiver.endpoint,
            version: "0"
        )
        let recorder = TraceRecorder(configuration: .success(configuration), version: "0")
        let clock = ContinuousClock()
        let started = clock.now
        let record = await recorder.finish(
            FinishedRun(
                scope: scope,
                report: report,
                trace: .random(),
                timings: StepTimings(),
                outputDirectory: output.path
            )
        )
        let elapsed = clock.now - started
        #expect(record.exported == false)
        // It waited for its 2 s deadline, and not for the collector, which hangs for 30 s (the slack
        // is for a machine loaded by the whole suite; this is a bound, not a benchmark).
        #expect(elapsed >= .milliseconds(1900) && elapsed < .seconds(20), "took \(elapsed)")
        #expect(try receiver.requests().count == 1, "the request reached the collector before it hung")
    }

    @Test func disabledSendsNothingAndStillWritesTheTrace() async throws {
        let receiver = try OTLPReceiver()
        let fixture = try TelemetryFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            Self.quickScope,
            environment: ["OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint],
            endpoint: receiver.endpoint
        )
        #expect(report.verdict == .fail)
        #expect(report.telemetry?.exported == false)
        #expect(report.telemetry?.error == nil)
        #expect(try receiver.requests().isEmpty)
        let trace = try fixture.trace()
        let bad = try trace.span(named: "BAD-001")
        #expect(bad.status?.code == 2)
        #expect(bad.attribute("test.suite.run.status")?.stringValue == "failure")
        let attempt = try #require(trace.spans.first { $0.parentSpanId == bad.spanId })
        #expect(attempt.attribute("process.exit.code")?.intValue == "3")
        #expect(attempt.status?.message == "ValueError")
    }
}
