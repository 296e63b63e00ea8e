import Foundation
import Synchronization
import TaaSCore

/// Writes a run's events as JSON lines, one object per event, for programs that follow a run
/// (`taas run --events FILE`). Every line has `event` and `time`; the rest depends on the event.
///
/// Events: `run_started` (run_id, scope_id, scenarios), `phase_started` (phase), `step_finished`
/// (phase, index, command, exit_code, timed_out, duration_ms), `service_ready` (name, ready,
/// ready_after_ms, message), `attempt_started` (scenario_id, attempt), `attempt_finished`
/// (scenario_id, attempt, verdict, exit_code, timed_out, duration_ms), `scenario_finished` (id,
/// type, verdict, flaky, attempts, duration_ms, cases: {total, failed}), `note` (message),
/// `run_finished` (verdict, summary, duration_ms). `step_finished`, `service_ready`, `attempt_finished`
/// and `scenario_finished` also carry `result`, the whole object as report.json holds it, so that a
/// follower (`taas run --server`) can show the same console as a local run (see ``event(from:)``).
public final class EventStream: RunObserver {
    private let handle: Mutex<FileHandle>

    /// Writes to an open file handle (which it does not close).
    public init(handle: FileHandle) {
        self.handle = Mutex(handle)
    }

    public func handle(_ event: RunEvent) {
        guard let data = Self.json(of: event) else { return }
        handle.withLock { handle in
            try? handle.write(contentsOf: data + Data([0x0A]))
        }
    }

    /// The JSON object of one event (one line of `--events`, without its newline); the Fabric's
    /// Server-Sent Events carry the same objects.
    public static func json(of event: RunEvent, at time: Date = Date()) -> Data? {
        var object = fields(of: event)
        object["time"] = TaaSReport.timestamp(time)
        return try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    static func fields(of event: RunEvent) -> [String: Any] {
        var object = summaryFields(of: event)
        let result: (any Encodable)? =
            switch event {
            case .stepFinished(_, _, let result): result
            case .serviceReady(let service): service
            case .attemptFinished(_, let attempt): attempt
            case .scenarioFinished(let scenario): scenario
            default: nil
            }
        if let result, let data = try? TaaSReport.encoder(pretty: false).encode(result),
            let value = try? JSONSerialization.jsonObject(with: data)
        {
            object["result"] = value
        }
        return object
    }

    /// The flat members of an event, which programs read without knowing the report's shapes.
    private static func summaryFields(of event: RunEvent) -> [String: Any] {
        switch event {
        case .runStarted(let runID, let scopeID, let scenarios):
            return ["event": "run_started", "run_id": runID, "scope_id": scopeID, "scenarios": scenarios]
        case .phaseStarted(let phase):
            return ["event": "phase_started", "phase": phase.rawValue]
        case .stepFinished(let phase, let index, let result):
            return [
                "event": "step_finished", "phase": phase.rawValue, "index": index, "command": result.command,
                "exit_code": result.exitCode.map { Int($0) as Any } ?? NSNull(), "timed_out": result.timedOut,
                "duration_ms": result.durationMS,
            ]
        case .serviceReady(let service):
            return [
                "event": "service_ready", "name": service.name, "ready": service.ready,
                "ready_after_ms": service.readyAfterMS as Any? ?? NSNull(),
                "message": service.message as Any? ?? NSNull(),
            ]
        case .attemptStarted(let scenarioID, let attempt):
            return ["event": "attempt_started", "scenario_id": scenarioID, "attempt": attempt]
        case .attemptFinished(let scenarioID, let attempt):
            return [
                "event": "attempt_finished", "scenario_id": scenarioID, "attempt": attempt.number,
                "verdict": attempt.verdict.rawValue, "exit_code": attempt.exitCode.map { Int($0) as Any } ?? NSNull(),
                "timed_out": attempt.timedOut, "duration_ms": attempt.durationMS,
            ]
        case .scenarioFinished(let scenario):
            return [
                "event": "scenario_finished", "id": scenario.id, "type": scenario.type,
                "verdict": scenario.verdict.rawValue,
                "flaky": scenario.flaky, "attempts": scenario.attempts.count, "duration_ms": scenario.durationMS,
                "message": scenario.message as Any? ?? NSNull(),
                "cases": [
                    "total": scenario.cases.count,
                    "failed": scenario.cases.count { $0.verdict == .fail || $0.verdict == .error },
                ],
            ]
        case .note(let message):
            return ["event": "note", "message": message]
        case .progress(let message):
            return ["event": "progress", "message": message]
        case .runFinished(let report):
            return [
                "event": "run_finished", "run_id": report.runID, "verdict": report.verdict.rawValue,
                "duration_ms": report.durationMS,
                "summary": [
                    "scenarios": report.summary.scenarios, "passed": report.summary.passed,
                    "failed": report.summary.failed,
                    "errored": report.summary.errored, "skipped": report.summary.skipped, "flaky": report.summary.flaky,
                ],
            ]
        }
    }
}

/// Sends every event to several observers.
public struct ObserverGroup: RunObserver {
    private let observers: [any RunObserver]

    public init(_ observers: [any RunObserver]) {
        self.observers = observers
    }

    public func handle(_ event: RunEvent) {
        for observer in observers { observer.handle(event) }
    }
}
