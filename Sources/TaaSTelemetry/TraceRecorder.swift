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
        // The export and the file are independent: trace.json is written while the collector answers.
        async let exportOutcome = export(document)
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
        let (exported, problem) = await exportOutcome
        if let problem { problems.append(problem) }
        return TelemetryRecord(
            traceID: run.trace.traceID,
            exported: exported,
            error: problems.isEmpty ? nil : problems.joined(separator: "; ")
        )
    }

    /// Sends the trace when a collector is configured: whether it was accepted, and what went wrong.
    private func export(_ document: OTLPTraceDocument) async -> (exported: Bool, problem: String?) {
        switch configuration {
        case .failure(let error):
            return (false, "the trace is not exported: \(error)")
        case .success(let configuration):
            guard let export = configuration.export else { return (false, nil) }
            if let failure = await OTLPExporter(export: export).send(document) {
                return (false, "the trace was not exported: \(failure)")
            }
            return (true, nil)
        }
    }
}
