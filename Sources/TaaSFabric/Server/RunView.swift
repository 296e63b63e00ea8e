import Foundation
import TaaSCore

/// A run as the API shows it (`GET /v1/runs/{id}` and the rows of `GET /v1/runs`).
struct RunView: Codable, Sendable {
    var runID: String
    var scopeID: String
    var status: String
    var origin: String
    var verdict: String?
    var summary: Summary?
    var labels: [String: String]
    var sandbox: String?
    var jobs: Int
    var createdAt: String
    var startedAt: String?
    var finishedAt: String?
    var durationMS: Int?
    var message: String?
    var report: String?
    /// The run's OpenTelemetry trace id: find the run's spans in a tracing backend by it.
    var traceID: String?

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case scopeID = "scope_id"
        case status, origin, verdict, summary, labels, sandbox, jobs
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case durationMS = "duration_ms"
        case message, report
        case traceID = "trace_id"
    }

    init(_ run: FabricRun, hasReport: Bool) {
        runID = run.id
        scopeID = run.scopeID
        status = run.status.rawValue
        origin = run.origin.rawValue
        verdict = run.verdict?.rawValue
        summary = run.summary
        labels = run.labels
        sandbox = run.sandbox
        jobs = run.jobs
        createdAt = TaaSReport.timestamp(run.createdAt)
        startedAt = run.startedAt.map(TaaSReport.timestamp)
        finishedAt = run.finishedAt.map(TaaSReport.timestamp)
        durationMS = run.durationMS
        message = run.message
        report = hasReport ? "/v1/runs/\(run.id)/report" : nil
        traceID = run.traceID
    }
}
