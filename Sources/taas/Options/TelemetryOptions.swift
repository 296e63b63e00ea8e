import ArgumentParser
import Foundation
import TaaSCore
import TaaSEngine
import TaaSTelemetry

/// `--otlp-endpoint`, shared by `taas run` and `taas serve`: where a run's trace is exported, over
/// the standard `OTEL_*` variables (docs/telemetry.md).
struct TelemetryOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Export each run's trace to this OTLP/HTTP collector (a base URL such as http://127.0.0.1:4318; over OTEL_EXPORTER_OTLP_ENDPOINT). At most 2 s are added to a run; see docs/telemetry.md.",
            valueName: "url"
        )
    )
    var otlpEndpoint: String?

    func validate() throws {
        guard let otlpEndpoint else { return }
        do {
            _ = try TelemetryConfiguration.endpointURL(otlpEndpoint, variable: "--otlp-endpoint", appendingPath: true)
        } catch { throw ValidationError("\(error)") }
    }

    /// What records a run's trace: writes `trace.json` always, exports it when a collector is set.
    /// A bad `OTEL_*` variable is not fatal: it becomes a warning and the report's `telemetry.error`.
    func recorder(environment: [String: String] = ProcessInfo.processInfo.environment) -> any RunTelemetry {
        let configuration = Result { () throws(TelemetryConfigurationError) in
            try TelemetryConfiguration.resolve(
                environment: environment,
                endpoint: otlpEndpoint,
                version: Harness.version
            )
        }
        return TraceRecorder(configuration: configuration, version: Harness.version)
    }
}
