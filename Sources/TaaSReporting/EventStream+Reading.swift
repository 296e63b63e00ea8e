import Foundation
import TaaSCore

extension EventStream {
    /// The run event that an event object (a line of `--events`, or the data of one of the Fabric's
    /// Server-Sent Events) describes, so that a follower can feed it to the same observers as a local
    /// run. `nil` for `run_finished` (its report is fetched whole), an unknown event, or an object that
    /// lacks the members its event needs (one written before events carried `result`).
    public static func event(from object: [String: Any]) -> RunEvent? {
        switch object["event"] as? String {
        case "run_started":
            guard let runID = object["run_id"] as? String, let scopeID = object["scope_id"] as? String,
                let scenarios = object["scenarios"] as? Int
            else { return nil }
            return .runStarted(runID: runID, scopeID: scopeID, scenarios: scenarios)
        case "phase_started":
            return (object["phase"] as? String).flatMap(RunPhase.init(rawValue:)).map { .phaseStarted($0) }
        case "step_finished":
            guard let phase = (object["phase"] as? String).flatMap(RunPhase.init(rawValue:)),
                let index = object["index"] as? Int, let result = decode(StepResult.self, object)
            else { return nil }
            return .stepFinished(phase: phase, index: index, result: result)
        case "service_ready":
            return decode(ServiceResult.self, object).map { .serviceReady($0) }
        case "attempt_started":
            guard let scenarioID = object["scenario_id"] as? String, let attempt = object["attempt"] as? Int
            else { return nil }
            return .attemptStarted(scenarioID: scenarioID, attempt: attempt)
        case "attempt_finished":
            guard let scenarioID = object["scenario_id"] as? String, let attempt = decode(AttemptResult.self, object)
            else { return nil }
            return .attemptFinished(scenarioID: scenarioID, attempt: attempt)
        case "scenario_finished":
            return decode(ScenarioResult.self, object).map { .scenarioFinished($0) }
        case "note":
            return (object["message"] as? String).map { .note($0) }
        case "progress":
            return (object["message"] as? String).map { .progress($0) }
        default:
            return nil
        }
    }

    /// The event's `result` member read as report.json's type.
    private static func decode<Result: Decodable>(_ type: Result.Type, _ object: [String: Any]) -> Result? {
        guard let result = object["result"], JSONSerialization.isValidJSONObject(result),
            let data = try? JSONSerialization.data(withJSONObject: result)
        else { return nil }
        return try? TaaSReport.decoder().decode(type, from: data)
    }
}
