import Foundation
import TaaSCore
import TaaSEngine
import TaaSRunners

/// How a claimed run is judged, on the server itself or on a remote worker (`taas worker`): its
/// uploaded scope and workspace, the engine's options taken from the run, and ``Judge``.
struct RunExecution: Sendable {
    var scopeFile: URL
    var workspace: URL
    /// Where the report files go.
    var reportFolder: URL
    var allowUnsafeLocal: Bool
    var cacheDirectory: URL
    var telemetry: (any RunTelemetry)?

    /// Judges `run` (its id becomes the report's `run_id`); cancelling the task interrupts it with
    /// `cancelReason`, and its teardown still runs.
    func judge(
        _ run: FabricRun,
        observer: any RunObserver,
        interruption: RunInterruption,
        cancelReason: String
    ) async throws -> RunOutcome {
        let scope = try TestScope.parse(
            Data(contentsOf: scopeFile),
            source: scopeFile.path,
            runners: RunnerRegistry.standard.executionRunnerNames
        ).scope
        var request = RunRequest(scopeFile: scopeFile, workspace: workspace, outputDirectory: reportFolder)
        request.options.runID = run.id
        request.options.jobs = run.jobs
        request.options.sandboxKind = run.sandbox
        request.options.allowUnsafeLocal = allowUnsafeLocal
        request.options.cacheDirectory = cacheDirectory
        request.options.telemetry = telemetry
        return try await withTaskCancellationHandler {
            try await Judge.run(scope, request, observer: observer, interruption: interruption)
        } onCancel: {
            interruption.interrupt(reason: cancelReason)
        }
    }
}

extension FabricRun {
    /// Takes a finished run's verdict, summary, duration and trace id from its report.
    mutating func take(_ report: TaaSReport) {
        verdict = report.verdict
        summary = report.summary
        durationMS = report.durationMS
        traceID = report.telemetry?.traceID
    }
}
