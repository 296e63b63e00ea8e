import Foundation
import TaaSCore
import TaaSTesting
import Testing

@testable import TaaSTelemetry

/// The span model of a run, built from a report and the sandbox's timings (no processes).
@Suite struct RunSpansTests {
    static let trace = TraceContext(traceID: "4bf92f3577b34da6a3ce929d0e0e4736")

    static func scope() throws -> TestScope {
        try TestScope.parse(
            Data(
                #"""
                {"scope_id": "demo", "services": [{"name": "api", "command": "serve", "ready": {"tcp": 3000}}],
                 "scenarios": [{"id": "UNIT-001", "command": "pytest"}, {"id": "UNIT-002", "command": "pytest"}]}
                """#.utf8
            )
        ).scope
    }

    static func report() -> TaaSReport {
        ReportBuilder(scopeID: "demo")
            .setup("python3 seed.py")
            .service("api", command: "serve")
            .scenario(
                "UNIT-001",
                .pass,
                cases: [CaseResult(name: "test_ok", classname: "tests.test_core", verdict: .pass, durationMS: 5)]
            )
            .scenario(
                "UNIT-002",
                .fail,
                cases: [
                    CaseResult(
                        name: "test_sum",
                        classname: "tests.test_core",
                        verdict: .fail,
                        durationMS: 7,
                        message: "AssertionError: assert 3 == 4\n  where 3 = add(1, 2)"
                    ),
                    CaseResult(name: "test_later", classname: "tests.test_core", verdict: .skipped, durationMS: 0),
                ],
                message: "1 test failed"
            )
            .teardown("python3 clean.py")
            .build()
    }

    static func spans() throws -> [Span] {
        let timings = StepTimings()
        let start = ReportBuilder.start
        timings.started("setup-1", at: start.addingTimeInterval(0.01))
        timings.ended("setup-1", at: start.addingTimeInterval(0.02))
        timings.started("UNIT-001.attempt-1", at: start.addingTimeInterval(0.5))
        timings.ended("UNIT-001.attempt-1", at: start.addingTimeInterval(0.6))
        let run = FinishedRun(
            scope: try scope(),
            report: report(),
            trace: trace,
            timings: timings,
            outputDirectory: "/nonexistent"
        )
        return RunSpans(run).spans()
    }

    @Test func theRunIsAServerSpanWithTheCICDAttributes() throws {
        let spans = try Self.spans()
        let run = try #require(spans.first)
        #expect(run.name == "RUN demo")
        #expect(run.kind == .server)
        #expect(run.parentSpanID == nil)
        #expect(run.spanID == Self.trace.spanID(for: TraceContext.runLabel))
        #expect(run.attribute("cicd.pipeline.name") == .string("demo"))
        #expect(run.attribute("cicd.pipeline.run.id") == .string("20231114T221320Z-0"))
        #expect(run.attribute("cicd.pipeline.result") == .string("failure"))
        #expect(run.attribute("taas.sandbox.kind") == .string("jail"))
        #expect(run.status == .error("failure"))
    }

    @Test func everySpanHasItsParentInTheTraceAndTheIdOfItsLabel() throws {
        let spans = try Self.spans()
        let ids = Set(spans.map(\.spanID))
        #expect(ids.count == spans.count)
        for span in spans.dropFirst() {
            #expect(span.parentSpanID.map(ids.contains) == true, "\(span.name) has no parent")
        }
        func parent(of name: String) -> String? {
            let span = spans.first { $0.name == name }
            return spans.first { $0.spanID == span?.parentSpanID }?.name
        }
        #expect(parent(of: "setup") == "RUN demo")
        #expect(parent(of: "setup 1") == "setup")
        #expect(parent(of: "service api") == "services")
        #expect(parent(of: "UNIT-001") == "scenarios")
        #expect(parent(of: "tests.test_core.test_ok") == "attempt 1")
        #expect(parent(of: "teardown 1") == "teardown")
        let attempt = try #require(
            spans.first { $0.name == "attempt 1" && $0.parentSpanID == spans.first { $0.name == "UNIT-001" }?.spanID }
        )
        #expect(attempt.spanID == Self.trace.spanID(for: "UNIT-001.attempt-1"))
        // The recorded times are the spans' times; cases start with their attempt.
        #expect(attempt.start == ReportBuilder.start.addingTimeInterval(0.5))
        let testOK = try #require(spans.first { $0.name == "tests.test_core.test_ok" })
        #expect(testOK.start == attempt.start)
        #expect(abs(testOK.end.timeIntervalSince(testOK.start) - 0.005) < 0.0001)
        #expect(testOK.spanID == Self.trace.spanID(for: "UNIT-001.attempt-1/tests.test_core.test_ok"))
    }

    @Test func aFailedCaseIsAnErrorSpanWithItsExceptionEvent() throws {
        let spans = try Self.spans()
        let failed = try #require(spans.first { $0.name == "tests.test_core.test_sum" })
        #expect(failed.status == .error("AssertionError"))
        #expect(failed.attribute("error.type") == .string("AssertionError"))
        #expect(failed.attribute("test.case.name") == .string("tests.test_core.test_sum"))
        #expect(failed.attribute("test.case.result.status") == .string("fail"))
        let event = try #require(failed.events.first)
        #expect(event.name == "exception")
        #expect(event.attributes.contains(.string("exception.type", "AssertionError")))
        #expect(event.attributes.contains(.string("exception.message", "AssertionError: assert 3 == 4")))
        #expect(
            event.attributes.contains {
                $0.key == "exception.stacktrace"
                    && $0.value == .string("AssertionError: assert 3 == 4\n  where 3 = add(1, 2)")
            }
        )

        let skipped = try #require(spans.first { $0.name == "tests.test_core.test_later" })
        #expect(skipped.attribute("test.case.result.status") == nil)
        #expect(skipped.attribute("taas.case.skipped") != nil)
        #expect(skipped.status == .unset)

        let scenario = try #require(spans.first { $0.name == "UNIT-002" })
        #expect(scenario.attribute("test.suite.name") == .string("UNIT-002"))
        #expect(scenario.attribute("test.suite.run.status") == .string("failure"))
        #expect(scenario.status == .error("failure"))
        #expect(scenario.events.map(\.name) == ["exception"])
        let passed = try #require(spans.first { $0.name == "UNIT-001" })
        #expect(passed.attribute("test.suite.run.status") == .string("success"))
        #expect(passed.status == .unset)
    }

    @Test func serviceSpansCarryTheProbeAndReadiness() throws {
        let service = try #require(try Self.spans().first { $0.name == "service api" })
        #expect(service.attribute("taas.service.probe") == .string("tcp 3000"))
        #expect(service.attribute("taas.service.ready_after_ms") == .int(50))
        #expect(service.attribute("taas.service.ready") == .bool(true))
    }

    @Test func exceptionTypesStayLowCardinalityAndStackTracesAreCut() {
        #expect(ExceptionSummary.exceptionType(in: "E   ValueError: bad value 42") == "ValueError")
        #expect(ExceptionSummary.exceptionType(in: "assert 3 == 4") == "assertion")
        #expect(ExceptionSummary.exceptionType(in: "requests.exceptions.ConnectionError: refused") == "ConnectionError")
        #expect(ExceptionSummary.exceptionType(in: "expected status 200, got 500: boom") == nil)
        let long = String(repeating: "x", count: 10_000)
        let summary = ExceptionSummary(message: long, fallback: "failure")
        #expect(summary.type == "failure")
        #expect(summary.stacktrace.utf8.count <= ExceptionSummary.stacktraceLimit)
        #expect(summary.message.utf8.count <= ExceptionSummary.messageLimit)
    }

    @Test func theTreeShowsNamesDurationsAndStatuses() throws {
        let document = OTLPTraceDocument(spans: try Self.spans(), resource: [], version: "0.1.0")
        let lines = TraceTree.render(document).split(separator: "\n").map(String.init)
        #expect(lines.first == "trace 4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(lines.contains("  RUN demo  2.00 s  ERROR (failure)"))
        #expect(lines.contains("          tests.test_core.test_ok  5 ms  UNSET"))
        #expect(lines.contains("          tests.test_core.test_sum  7 ms  ERROR (AssertionError)"))
        let setup = try #require(lines.firstIndex(of: "    setup  10 ms  UNSET"))
        let teardown = try #require(lines.firstIndex { $0.hasPrefix("    teardown  ") })
        #expect(setup < teardown)
    }

    @Test func theJSONDocumentReadsBackAndNamesBadPaths() throws {
        let document = OTLPTraceDocument(
            spans: try Self.spans(),
            resource: [.string("service.name", "taas")],
            version: "0.1.0"
        )
        let data = try document.jsonData()
        #expect(try OTLPTraceDocument.read(from: data, file: "trace.json") == document)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""traceId" : "4bf92f3577b34da6a3ce929d0e0e4736""#))
        #expect(text.contains(#""intValue" : "50""#))
        let broken = Data(
            #"{"resourceSpans": [{"resource": {"attributes": []}, "scopeSpans": [{"scope": {"name": "x"}, "spans": [{"name": 1}]}]}]}"#
                .utf8
        )
        #expect(throws: TraceFileError.self) { try OTLPTraceDocument.read(from: broken, file: "t.json") }
        do {
            _ = try OTLPTraceDocument.read(from: broken, file: "t.json")
        } catch {
            #expect(error.description.hasPrefix("t.json: resourceSpans[0].scopeSpans[0].spans[0]"))
        }
    }
}
