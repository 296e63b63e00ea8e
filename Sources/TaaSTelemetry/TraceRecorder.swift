import Foundation
import OTelSemanticConventions
import TaaSCore

/// The run's telemetry: writes `OUT/trace.json` always, and exports the trace when a collector is
/// configured. Set it as `RunOptions.telemetry`.
public struct TraceRecorder: RunTelemetry {
    /// The file name of the trace in the output folder.
    public static let fileName = "trace.json"

    /// The configuration, or why the variables could not be used (the trace is then only written).
    public var configuration: Result<TelemetryConfiguration, TelemetryConfigurationError>
    /// The version recorded as the instrumentation scope's.
    public var version: String

    public init(configuration: Result<TelemetryConfiguration, TelemetryConfigurationError>, version: String) {
        self.configuration = configuration
        self.version = version
    }

    public func finish(_ run: FinishedRun) async -> TelemetryRecord {
        let spans = RunSpans(run).spans()
        let resource =
            (try? configuration.get().resource) ?? [
                .string(OTelAttribute.service.name, "taas"), .string(OTelAttribute.service.version, version),
            ]
        let document = OTLPTraceDocument(spans: spans, resource: resource, version: version)
        var problems: [String] = []
        let file = URL(fileURLWithPath: run.outputDirectory).appendingPathComponent(Self.fileName)
        do {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try document.jsonData().write(to: file, options: .atomic)
        } catch {
            problems.append("cannot write \(file.path): \(error.localizedDescription)")
        }
        var exported = false
        switch configuration {
        case .failure(let error):
            problems.append("the trace is not exported: \(error)")
        case .success(let configuration):
            if let export = configuration.export {
                if let failure = await OTLPExporter(export: export).send(document) {
                    problems.append("the trace was not exported: \(failure)")
                } else {
                    exported = true
                }
            }
        }
        return TelemetryRecord(
            traceID: run.trace.traceID,
            exported: exported,
            error: problems.isEmpty ? nil : problems.joined(separator: "; ")
        )
    }
}
