import Foundation
import OTelSemanticConventions
import TaaSCore

/// Builds a run's spans from its report and the times its sandbox recorded: the run, its phases,
/// each step, service and scenario, each attempt, and the cases of the last attempt.
///
/// Span ids come from ``TraceContext/spanID(for:)`` with the same labels the sandbox used for the
/// processes' `TRACEPARENT`, so a process's own spans nest under the span that ran it.
public struct RunSpans {
    var run: FinishedRun

    public init(_ run: FinishedRun) {
        self.run = run
    }

    /// The label of a scenario's span (its attempts are `ID.attempt-N`).
    public static func scenarioLabel(_ id: String) -> String { "scenario/\(id)" }
    /// The label of a phase's span.
    public static func phaseLabel(_ phase: String) -> String { "phase/\(phase)" }

    /// Every span of the run, parents before their children.
    public func spans() -> [Span] {
        let report = run.report
        var spans: [Span] = []
        let runSpanID = run.trace.spanID(for: TraceContext.runLabel)

        var children: [Span] = []
        var cursor = report.startedAt
        children += phase("setup", steps: report.setup, labelPrefix: "setup", cursor: &cursor, parent: runSpanID)
        children += services(cursor: &cursor, parent: runSpanID)
        children += scenarios(cursor: &cursor, parent: runSpanID)
        children += phase(
            "teardown",
            steps: report.teardown,
            labelPrefix: "teardown",
            cursor: &cursor,
            parent: runSpanID
        )

        var attributes: [Attribute] = [
            .string(OTelAttribute.cicd.pipeline.name, report.scopeID),
            .string(OTelAttribute.cicd.pipeline.run.id, report.runID),
            .string(OTelAttribute.cicd.pipeline.result, Self.pipelineResult(report)),
            .string("taas.sandbox.kind", report.sandbox.kind),
            .string("taas.version", report.taasVersion),
            .string("taas.scope.fingerprint", report.scopeFingerprint),
            .string("taas.verdict", report.verdict.rawValue),
        ]
        if report.cached == true { attributes.append(.bool("taas.cached", true)) }
        var status = Span.Status.unset
        var events: [Span.Event] = []
        if report.verdict != .pass {
            let type = report.verdict == .fail ? "failure" : "error"
            status = .error(type)
            attributes.append(.string(OTelAttribute.error.type, type))
            for error in report.errors {
                let summary = ExceptionSummary(message: error.message, fallback: "taas.\(error.phase)")
                events.append(Self.exceptionEvent(summary, at: report.finishedAt))
            }
        }
        spans.append(
            Span(
                traceID: run.trace.traceID,
                spanID: runSpanID,
                parentSpanID: run.trace.parentSpanID,
                traceState: run.trace.traceState,
                name: "RUN \(report.scopeID)",
                kind: .server,
                start: report.startedAt,
                end: max(report.finishedAt, children.map(\.end).max() ?? report.finishedAt),
                attributes: attributes,
                events: events,
                status: status
            )
        )
        return spans + children
    }

    // MARK: - Phases

    private func phase(
        _ name: String,
        steps: [StepResult],
        labelPrefix: String,
        cursor: inout Date,
        parent: String
    ) -> [Span] {
        guard !steps.isEmpty else { return [] }
        let phaseID = run.trace.spanID(for: Self.phaseLabel(name))
        var spans: [Span] = []
        for (index, step) in steps.enumerated() {
            let label = "\(labelPrefix)-\(index + 1)"
            let (start, end) = interval(of: label, durationMS: step.durationMS, cursor: &cursor)
            var attributes: [Attribute] = [
                .string("taas.step.command", step.command),
                .bool("taas.step.timed_out", step.timedOut),
            ]
            if let code = step.exitCode { attributes.append(.int(OTelAttribute.process.exit.code, Int(code))) }
            var status = Span.Status.unset
            var events: [Span.Event] = []
            if !step.succeeded {
                let type = step.timedOut ? "timeout" : step.exitCode == nil ? "not_started" : "exit_code"
                status = .error(type)
                attributes.append(.string(OTelAttribute.error.type, type))
                let message = step.message ?? "exit code \(step.exitCode.map(String.init) ?? "none")"
                events.append(Self.exceptionEvent(ExceptionSummary(message: message, fallback: type), at: end))
            }
            spans.append(
                span(label: label, name: "\(name) \(index + 1)", parent: phaseID, start: start, end: end)
                    .with(attributes: attributes, events: events, status: status)
            )
        }
        return [enclosing(name, id: phaseID, parent: parent, children: spans)] + spans
    }

    private func services(cursor: inout Date, parent: String) -> [Span] {
        let results = run.report.services
        guard !results.isEmpty else { return [] }
        let phaseID = run.trace.spanID(for: Self.phaseLabel("services"))
        var spans: [Span] = []
        var readyTimes: [Date] = []
        for service in results {
            let label = "service-\(service.name)"
            let recorded = run.timings.interval(of: label)
            let start = recorded?.start ?? cursor
            let end = recorded?.end ?? start.addingTimeInterval(Double(service.readyAfterMS ?? 0) / 1000)
            cursor = max(cursor, start)
            var attributes: [Attribute] = [
                .string("taas.service.name", service.name),
                .string("taas.service.command", service.command),
                .bool("taas.service.ready", service.ready),
            ]
            if let probe = run.scope.services.first(where: { $0.name == service.name })?.readiness?.probe {
                attributes.append(.string("taas.service.probe", Self.describe(probe)))
            }
            if let ready = service.readyAfterMS {
                attributes.append(.int("taas.service.ready_after_ms", ready))
                readyTimes.append(start.addingTimeInterval(Double(ready) / 1000))
            }
            var status = Span.Status.unset
            var events: [Span.Event] = []
            if !service.ready {
                status = .error("not_ready")
                attributes.append(.string(OTelAttribute.error.type, "not_ready"))
                let summary = ExceptionSummary(message: service.message ?? "not ready", fallback: "not_ready")
                events.append(Self.exceptionEvent(summary, at: end))
            }
            spans.append(
                span(label: label, name: "service \(service.name)", parent: phaseID, start: start, end: end)
                    .with(attributes: attributes, events: events, status: status)
            )
        }
        let start = spans.map(\.start).min() ?? cursor
        let end = max(readyTimes.max() ?? start, start)
        cursor = max(cursor, end)
        let phase = Span(
            traceID: run.trace.traceID,
            spanID: phaseID,
            parentSpanID: parent,
            name: "services",
            start: start,
            end: end
        )
        return [phase] + spans
    }

    private func scenarios(cursor: inout Date, parent: String) -> [Span] {
        let results = run.report.scenarios
        guard !results.isEmpty else { return [] }
        let phaseID = run.trace.spanID(for: Self.phaseLabel("scenarios"))
        var spans: [Span] = []
        for scenario in results {
            spans += self.scenario(scenario, cursor: &cursor, parent: phaseID)
        }
        let scenarioSpans = spans.filter { $0.parentSpanID == phaseID }
        return [enclosing("scenarios", id: phaseID, parent: parent, children: scenarioSpans)] + spans
    }

    // MARK: - Scenarios, attempts, cases

    private func scenario(_ result: ScenarioResult, cursor: inout Date, parent: String) -> [Span] {
        let scenarioID = run.trace.spanID(for: Self.scenarioLabel(result.id))
        var attemptSpans: [Span] = []
        var caseSpans: [Span] = []
        for (index, attempt) in result.attempts.enumerated() {
            let label = "\(result.id).attempt-\(attempt.number)"
            let (start, end) = interval(of: label, durationMS: attempt.durationMS, cursor: &cursor)
            let attemptID = run.trace.spanID(for: label)
            var attributes: [Attribute] = [
                .string(OTelAttribute.test.suite.name, result.id),
                .int("taas.attempt.number", attempt.number),
                .int("taas.attempt.retry", attempt.number - 1),
                .string("taas.attempt.verdict", attempt.verdict.rawValue),
                .bool("taas.attempt.timed_out", attempt.timedOut),
                .bool("taas.scenario.flaky", result.flaky),
            ]
            if let code = attempt.exitCode { attributes.append(.int(OTelAttribute.process.exit.code, Int(code))) }
            var status = Span.Status.unset
            var events: [Span.Event] = []
            if attempt.verdict == .fail || attempt.verdict == .error {
                let fallback = attempt.timedOut ? "timeout" : attempt.verdict == .fail ? "failure" : "error"
                // The runner's message first, then what the attempt printed on stderr (a traceback).
                let message = attempt.message ?? "exit code \(attempt.exitCode.map(String.init) ?? "none")"
                let stderr = attempt.output.stderrTail.trimmingCharacters(in: .whitespacesAndNewlines)
                let summary = ExceptionSummary(
                    message: stderr.isEmpty ? message : "\(message)\n\(stderr)",
                    fallback: fallback
                )
                let type = attempt.timedOut ? "timeout" : summary.type
                status = .error(type)
                attributes.append(.string(OTelAttribute.error.type, type))
                events.append(Self.exceptionEvent(summary, at: end))
            }
            attemptSpans.append(
                span(label: label, name: "attempt \(attempt.number)", parent: scenarioID, start: start, end: end)
                    .with(attributes: attributes, events: events, status: status)
            )
            if index == result.attempts.count - 1 {
                caseSpans = cases(result.cases, attemptLabel: label, start: start, parent: attemptID)
            }
        }
        let start = attemptSpans.first?.start ?? cursor
        let end = max(
            start.addingTimeInterval(Double(result.durationMS) / 1000),
            attemptSpans.map(\.end).max() ?? start
        )
        cursor = max(cursor, end)
        var attributes: [Attribute] = [
            .string(OTelAttribute.test.suite.name, result.id),
            .string(OTelAttribute.test.suite.run.status, Self.suiteStatus(result)),
            .string("taas.scenario.type", result.type),
            .string("taas.scenario.verdict", result.verdict.rawValue),
            .int("taas.scenario.attempts", result.attempts.count),
            .bool("taas.scenario.flaky", result.flaky),
        ]
        var status = Span.Status.unset
        var events: [Span.Event] = []
        if result.verdict == .fail || result.verdict == .error {
            let lastAttempt = result.attempts.last
            let summary = ExceptionSummary(
                message: result.message ?? lastAttempt?.message ?? result.verdict.rawValue,
                fallback: result.verdict == .fail ? "failure" : "error"
            )
            let type = lastAttempt?.timedOut == true ? "timeout" : summary.type
            status = .error(type)
            attributes.append(.string(OTelAttribute.error.type, type))
            events.append(Self.exceptionEvent(summary, at: end))
        } else if result.verdict == .skipped, let message = result.message {
            attributes.append(.string("taas.scenario.skipped", message))
        }
        let scenarioSpan = Span(
            traceID: run.trace.traceID,
            spanID: scenarioID,
            parentSpanID: parent,
            name: result.id,
            start: start,
            end: end,
            attributes: attributes,
            events: events,
            status: status
        )
        return [scenarioSpan] + attemptSpans + caseSpans
    }

    /// The cases of an attempt, one after another from its start, with the runner's durations.
    private func cases(_ cases: [CaseResult], attemptLabel: String, start: Date, parent: String) -> [Span] {
        var cursor = start
        return cases.map { result in
            let begin = cursor
            let end = begin.addingTimeInterval(Double(result.durationMS) / 1000)
            cursor = end
            var attributes: [Attribute] = [
                .string(OTelAttribute.test.case.name, result.fullName),
                .string("taas.case.verdict", result.verdict.rawValue),
            ]
            var status = Span.Status.unset
            var events: [Span.Event] = []
            switch result.verdict {
            case .pass:
                attributes.append(.string(OTelAttribute.test.case.result.status, "pass"))
            case .skipped:
                attributes.append(.string("taas.case.skipped", result.message ?? "skipped"))
            case .fail, .error:
                attributes.append(.string(OTelAttribute.test.case.result.status, "fail"))
                let summary = ExceptionSummary(
                    message: result.message ?? result.verdict.rawValue,
                    fallback: result.verdict == .fail ? "failure" : "error"
                )
                status = .error(summary.type)
                attributes.append(.string(OTelAttribute.error.type, summary.type))
                events.append(Self.exceptionEvent(summary, at: end))
            }
            return span(
                label: TraceContext.caseLabel(attempt: attemptLabel, case: result.fullName),
                name: result.fullName,
                parent: parent,
                start: begin,
                end: end
            )
            .with(attributes: attributes, events: events, status: status)
        }
    }

    // MARK: - Helpers

    private func span(label: String, name: String, parent: String, start: Date, end: Date) -> Span {
        Span(
            traceID: run.trace.traceID,
            spanID: run.trace.spanID(for: label),
            parentSpanID: parent,
            name: name,
            start: start,
            end: end
        )
    }

    private func enclosing(_ name: String, id: String, parent: String, children: [Span]) -> Span {
        let start = children.map(\.start).min() ?? run.report.startedAt
        let end = children.map(\.end).max() ?? start
        return Span(traceID: run.trace.traceID, spanID: id, parentSpanID: parent, name: name, start: start, end: end)
    }

    /// The recorded interval of the step with `label`; a step the sandbox did not see (a report
    /// served from the cache) is placed at `cursor` with its recorded duration.
    private func interval(of label: String, durationMS: Int, cursor: inout Date) -> (Date, Date) {
        let recorded = run.timings.interval(of: label)
        let start = recorded?.start ?? cursor
        let end = recorded?.end ?? start.addingTimeInterval(Double(durationMS) / 1000)
        cursor = max(cursor, end)
        return (start, end)
    }

    static func exceptionEvent(_ summary: ExceptionSummary, at time: Date) -> Span.Event {
        Span.Event(
            name: "exception",
            time: time,
            attributes: [
                .string(OTelAttribute.exception.type, summary.type),
                .string(OTelAttribute.exception.message, summary.message),
                .string(OTelAttribute.exception.stacktrace, summary.stacktrace),
            ]
        )
    }

    /// `cicd.pipeline.result`: success, failure, error, or cancellation for an interrupted run.
    static func pipelineResult(_ report: TaaSReport) -> String {
        switch report.verdict {
        case .pass: return "success"
        case .fail: return "failure"
        case .error, .skipped:
            return report.errors.contains { $0.phase == "run" && $0.message.contains("interrupted") }
                ? "cancellation" : "error"
        }
    }

    /// `test.suite.run.status`: success, failure, timed_out, aborted or skipped.
    static func suiteStatus(_ result: ScenarioResult) -> String {
        switch result.verdict {
        case .pass: return "success"
        case .fail: return result.attempts.last?.timedOut == true ? "timed_out" : "failure"
        case .error: return "aborted"
        case .skipped: return "skipped"
        }
    }

    static func describe(_ probe: Readiness.Probe) -> String {
        switch probe {
        case .http(let url): return "http \(url)"
        case .tcp(let port): return "tcp \(port)"
        case .log(let pattern): return "log \(pattern)"
        }
    }
}

extension Span {
    fileprivate func with(attributes: [Attribute], events: [Event], status: Status) -> Span {
        var copy = self
        copy.attributes = attributes
        copy.events = events
        copy.status = status
        return copy
    }
}
