import Foundation
import TaaSCore

/// Builds a ``TaaSReport`` for renderer, reader and service tests, with fixed defaults (a run id,
/// a fingerprint, a start time, a `jail` sandbox) so that what a test renders is stable.
///
/// ```swift
/// let report = ReportBuilder(scopeID: "demo")
///     .scenario("UNIT-001", .pass)
///     .scenario("UNIT-002", .fail, message: "1 failed")
///     .build()  // verdict fail, from the scenarios
/// ```
public struct ReportBuilder: Sendable {
    /// The start time of every built report: 2023-11-14T22:13:20Z.
    public static let start = Date(timeIntervalSince1970: 1_700_000_000)

    private var report: TaaSReport
    private var explicitVerdict: Verdict?

    public init(scopeID: String = "demo", runID: String = "20231114T221320Z-0", duration: Duration = .seconds(2)) {
        let milliseconds = Int(
            duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        )
        report = TaaSReport(
            runID: runID,
            scopeID: scopeID,
            scopeFingerprint: "sha256:" + String(repeating: "0", count: 64),
            verdict: .pass,
            startedAt: Self.start,
            finishedAt: Self.start.addingTimeInterval(Double(milliseconds) / 1000),
            taasVersion: "0.1.0",
            sandbox: SandboxDescription(kind: "jail", settings: ["network": "none (own loopback only)"])
        )
    }

    /// Adds a scenario with one attempt of the same verdict (none for `skipped`).
    public func scenario(
        _ id: String,
        _ verdict: Verdict,
        type: String = "unit",
        durationMS: Int = 100,
        cases: [CaseResult] = [],
        message: String? = nil
    ) -> ReportBuilder {
        let attempts =
            verdict == .skipped
            ? []
            : [
                AttemptResult(
                    number: 1,
                    verdict: verdict,
                    exitCode: verdict == .pass ? 0 : 1,
                    durationMS: durationMS,
                    timedOut: false
                )
            ]
        return scenario(
            ScenarioResult(
                id: id,
                type: type,
                verdict: verdict,
                durationMS: durationMS,
                attempts: attempts,
                cases: cases,
                message: message
            )
        )
    }

    /// Adds a scenario result as given.
    public func scenario(_ result: ScenarioResult) -> ReportBuilder {
        var copy = self
        copy.report.scenarios.append(result)
        return copy
    }

    /// Adds a setup step that exits with `exitCode`.
    public func setup(_ command: String, exitCode: Int32 = 0) -> ReportBuilder {
        var copy = self
        copy.report.setup.append(StepResult(command: command, exitCode: exitCode, durationMS: 10, timedOut: false))
        return copy
    }

    /// Adds a teardown step that exits with `exitCode`.
    public func teardown(_ command: String, exitCode: Int32 = 0) -> ReportBuilder {
        var copy = self
        copy.report.teardown.append(StepResult(command: command, exitCode: exitCode, durationMS: 10, timedOut: false))
        return copy
    }

    /// Adds a service that became ready (or not).
    public func service(_ name: String, command: String, ready: Bool = true) -> ReportBuilder {
        var copy = self
        copy.report.services.append(
            ServiceResult(
                name: name,
                command: command,
                ready: ready,
                readyAfterMS: ready ? 50 : nil,
                message: ready ? nil : "not ready"
            )
        )
        return copy
    }

    /// Adds a run error (which makes the derived verdict `error`).
    public func error(phase: String, _ message: String) -> ReportBuilder {
        var copy = self
        copy.report.errors.append(RunError(phase: phase, message: message))
        return copy
    }

    /// Sets the sandbox block.
    public func sandbox(_ kind: String, settings: [String: String] = [:]) -> ReportBuilder {
        var copy = self
        copy.report.sandbox = SandboxDescription(kind: kind, settings: settings)
        return copy
    }

    /// Sets the verdict instead of deriving it.
    public func verdict(_ verdict: Verdict) -> ReportBuilder {
        var copy = self
        copy.explicitVerdict = verdict
        return copy
    }

    /// The report. Its verdict, unless set, is `error` when there is a run error or an errored
    /// scenario, else `fail` when a scenario failed, else `pass`.
    public func build() -> TaaSReport {
        var built = report
        built.verdict = explicitVerdict ?? derivedVerdict
        built.summary = Summary(scenarios: built.scenarios)
        return built
    }

    private var derivedVerdict: Verdict {
        let verdicts = report.scenarios.map(\.verdict)
        if !report.errors.isEmpty || verdicts.contains(.error) { return .error }
        if verdicts.contains(.fail) { return .fail }
        return .pass
    }
}
