import Foundation
import Synchronization
import TaaSCore

/// The counters `/metrics` shows in the Prometheus text format: runs submitted, runs ended by
/// verdict, and a histogram of run durations.
public final class FabricMetrics: Sendable {
    /// The upper bounds of the duration histogram's buckets, in seconds.
    static let bounds: [Double] = [1, 5, 15, 60, 300, 900, 3600]

    private struct State {
        var submitted = 0
        var byVerdict: [String: Int] = [:]
        var buckets = [Int](repeating: 0, count: FabricMetrics.bounds.count)
        var durationCount = 0
        var durationSum = 0.0
    }

    private let state = Mutex(State())

    public init() {}

    func submitted() {
        state.withLock { $0.submitted += 1 }
    }

    func finished(_ run: FabricRun) {
        state.withLock { state in
            state.byVerdict[run.verdict?.rawValue ?? "none", default: 0] += 1
            guard let milliseconds = run.durationMS else { return }
            let seconds = Double(milliseconds) / 1000
            for (index, bound) in Self.bounds.enumerated() where seconds <= bound { state.buckets[index] += 1 }
            state.durationCount += 1
            state.durationSum += seconds
        }
    }

    /// The Prometheus text exposition of the counters, with the queue depth given.
    public func text(queueDepth: Int, executing: Int) -> String {
        state.withLock { state in
            var lines = [
                "# HELP taas_queue_depth Runs waiting in the queue.", "# TYPE taas_queue_depth gauge",
                "taas_queue_depth \(queueDepth)",
                "# HELP taas_runs_executing Runs executing now.", "# TYPE taas_runs_executing gauge",
                "taas_runs_executing \(executing)",
                "# HELP taas_runs_submitted_total Runs accepted since the server started.",
                "# TYPE taas_runs_submitted_total counter", "taas_runs_submitted_total \(state.submitted)",
                "# HELP taas_runs_total Runs ended since the server started, by verdict.",
                "# TYPE taas_runs_total counter",
            ]
            for verdict in ["pass", "fail", "error"] {
                lines.append("taas_runs_total{verdict=\"\(verdict)\"} \(state.byVerdict[verdict, default: 0])")
            }
            lines += [
                "# HELP taas_run_duration_seconds How long runs took.",
                "# TYPE taas_run_duration_seconds histogram",
            ]
            for (index, bound) in Self.bounds.enumerated() {
                lines.append("taas_run_duration_seconds_bucket{le=\"\(Int(bound))\"} \(state.buckets[index])")
            }
            lines.append("taas_run_duration_seconds_bucket{le=\"+Inf\"} \(state.durationCount)")
            lines.append("taas_run_duration_seconds_sum \(state.durationSum)")
            lines.append("taas_run_duration_seconds_count \(state.durationCount)")
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
