import Foundation
import TaaSCore
import Testing

@testable import TaaSTelemetry

/// The `OTEL_*` variables and `--otlp-endpoint`, and the trace context `taas` is started in.
@Suite struct ConfigurationTests {
    @Test func noEndpointMeansNoExport() throws {
        let configuration = try TelemetryConfiguration.resolve(environment: [:], version: "0.1.0")
        #expect(configuration.export == nil)
        #expect(configuration.resource.first == .string("service.name", "taas"))
        #expect(configuration.resource.contains(.string("service.version", "0.1.0")))
    }

    @Test func theBaseEndpointGetsTheTracesPathAndTheFullOneIsKept() throws {
        let base = try TelemetryConfiguration.resolve(
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318/"],
            version: "0.1.0"
        )
        #expect(base.export?.endpoint.absoluteString == "http://127.0.0.1:4318/v1/traces")
        #expect(base.export?.wireProtocol == .protobuf)
        #expect(base.export?.timeout == .seconds(2))
        let full = try TelemetryConfiguration.resolve(
            environment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:9999/custom",
                "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
                "OTEL_EXPORTER_OTLP_HEADERS": "authorization=Bearer%20abc, x-team=qa",
                "OTEL_EXPORTER_OTLP_TIMEOUT": "60000",
                "OTEL_SERVICE_NAME": "ci-taas",
                "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=ci,service.name=ignored",
            ],
            version: "0.1.0"
        )
        #expect(full.export?.endpoint.absoluteString == "http://127.0.0.1:9999/custom")
        #expect(full.export?.wireProtocol == .json)
        #expect(full.export?.headers.map(\.name) == ["authorization", "x-team"])
        #expect(full.export?.headers.first?.value == "Bearer abc")
        #expect(full.export?.timeout == .seconds(2), "the timeout is capped at the documented bound")
        #expect(full.resource.contains(.string("service.name", "ci-taas")))
        #expect(full.resource.contains(.string("deployment.environment", "ci")))
        #expect(!full.resource.contains(.string("service.name", "ignored")))
        let option = try TelemetryConfiguration.resolve(
            environment: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:9999/custom"],
            endpoint: "http://127.0.0.1:5555",
            version: "0.1.0"
        )
        #expect(option.export?.endpoint.absoluteString == "http://127.0.0.1:5555/v1/traces")
    }

    @Test func disabledMeansNoExportWhateverTheEndpoint() throws {
        let configuration = try TelemetryConfiguration.resolve(
            environment: ["OTEL_SDK_DISABLED": "TRUE", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"],
            endpoint: "http://127.0.0.1:4318",
            version: "0.1.0"
        )
        #expect(configuration.export == nil)
    }

    @Test func badSettingsNameTheirVariable() {
        #expect(
            throws: TelemetryConfigurationError(
                variable: "OTEL_EXPORTER_OTLP_PROTOCOL",
                message: "\"grpc\" is not supported; use http/protobuf or http/json (taas has no gRPC exporter)"
            )
        ) {
            try TelemetryConfiguration.resolve(
                environment: [
                    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
                ],
                version: "0.1.0"
            )
        }
        do {
            _ = try TelemetryConfiguration.resolve(
                environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "localhost:4318"],
                version: "0"
            )
            Issue.record("a URL without a scheme was accepted")
        } catch {
            #expect(error.variable == "OTEL_EXPORTER_OTLP_ENDPOINT")
        }
        do {
            _ = try TelemetryConfiguration.resolve(
                environment: [
                    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1", "OTEL_EXPORTER_OTLP_HEADERS": "novalue",
                ],
                version: "0"
            )
            Issue.record("a header without = was accepted")
        } catch {
            #expect(error.variable == "OTEL_EXPORTER_OTLP_HEADERS")
        }
    }

    @Test func aRunJoinsTheTraceOfItsOwnTraceparent() {
        let joined = TraceContext.joining([
            "TRACEPARENT": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "TRACESTATE": "vendor=opaque",
        ])
        #expect(joined.traceID == "0af7651916cd43dd8448eb211c80319c")
        #expect(joined.parentSpanID == "b7ad6b7169203331")
        #expect(joined.environment(for: "setup-1")["TRACESTATE"] == "vendor=opaque")
        let fresh = TraceContext.joining(["TRACEPARENT": "00-00000000000000000000000000000000-b7ad6b7169203331-01"])
        #expect(fresh.traceID != "00000000000000000000000000000000" && fresh.parentSpanID == nil)
        #expect(TraceParent(parsing: "00-0af7651916cd43dd8448eb211c80319c-B7AD6B7169203331-01") == nil)
        let traceparent = fresh.traceparent(for: "UNIT-001.attempt-1")
        #expect(TraceParent(parsing: traceparent)?.spanID == fresh.spanID(for: "UNIT-001.attempt-1"))
        #expect(fresh.spanID(for: "a") != fresh.spanID(for: "b"))
    }
}
