/// What a run hands to telemetry when its report is complete and before report.json is written
/// (the other report files are written meanwhile): a plug-in point, so that the engine never
/// imports an exporter.
public protocol RunTelemetry: Sendable {
    /// Records the run's trace (writes it, exports it) and says what became of it; never throws,
    /// and must return within a bounded time: exporting never changes the verdict.
    func finish(_ run: FinishedRun) async -> TelemetryRecord
}

/// A run as telemetry sees it at its end.
public struct FinishedRun: Sendable {
    /// The scope that ran.
    public var scope: TestScope
    /// The report, complete but not yet written.
    public var report: TaaSReport
    /// The run's trace id and span ids.
    public var trace: TraceContext
    /// When each step, service and attempt started and ended.
    public var timings: StepTimings
    /// Where the report files are written.
    public var outputDirectory: String

    public init(
        scope: TestScope,
        report: TaaSReport,
        trace: TraceContext,
        timings: StepTimings,
        outputDirectory: String
    ) {
        self.scope = scope
        self.report = report
        self.trace = trace
        self.timings = timings
        self.outputDirectory = outputDirectory
    }
}

/// The report's `telemetry` block: which trace the run is, and whether it reached a collector.
public struct TelemetryRecord: Sendable, Codable, Equatable {
    /// 32 hex digits.
    public var traceID: String
    /// `true` when a collector accepted the trace.
    public var exported: Bool
    /// Why the trace was not exported when an export was configured, else `nil`.
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case traceID = "trace_id"
        case exported, error
    }

    public init(traceID: String, exported: Bool, error: String? = nil) {
        self.traceID = traceID
        self.exported = exported
        self.error = error
    }
}
