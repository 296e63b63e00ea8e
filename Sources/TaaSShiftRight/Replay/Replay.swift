import Foundation
import TaaSCore
import TaaSEngine

/// `taas replay`'s library: replays a recording against a scope's service, in its sandbox, and
/// compares every answer with the recorded one.
///
/// ```swift
/// let (scope, _) = try Judge.loadScope(at: scopeFile)
/// let exchanges = try HAR.load(from: harFile).exchanges(file: harFile)
/// let plan = try ReplayPlan(scope: scope, exchanges: exchanges, service: "shop")
/// let prepared = try Judge.prepare(scope, RunRequest(scopeFile: scopeFile, outputDirectory: out))
/// let outcome = try await Replay.run(plan, prepared: prepared, rules: .standard, recording: harFile)
/// print(outcome.report.verdict, outcome.document.routes)
/// ```
public enum Replay {
    /// The file written beside `report.json`.
    public static let documentName = "replay.json"

    /// Runs `plan` as `prepared` says (its sandbox, options and lock check, made by
    /// `Judge.prepare` for the original scope: the lock is checked against the scope as written),
    /// with a ``ReplayRunner`` in place of the HTTP-check runner, and writes `replay.json`.
    ///
    /// - Returns: The run's outcome (its report is written as `taas run` writes it) and the
    ///   document written to `replay.json`.
    /// - Throws: ``RunRequestError`` when the report cannot be signed, ``ReplayError`` when
    ///   `replay.json` cannot be written. Differences are failed scenarios, never thrown.
    public static func run(
        _ plan: ReplayPlan,
        prepared: PreparedRun,
        rules: NoiseRules,
        recording: String,
        observer: any RunObserver = SilentObserver(),
        interruption: RunInterruption = RunInterruption()
    ) async throws -> ReplayOutcome {
        let runner = ReplayRunner(plan: plan, rules: rules)
        var run = prepared
        run.scope = plan.scope
        run.options.runners = run.options.runners.adding(runner)
        // A replay is never answered from the verdict cache: the service, not the workspace, is
        // what is being compared.
        run.options.verdictCache = nil
        let outcome = try await run.run(observer: observer, interruption: interruption)
        let document = await ReplayDocument.make(
            plan: plan,
            recording: recording,
            rules: rules,
            ledger: runner.ledger,
            report: outcome.report
        )
        let file = run.options.outputDirectory.appendingPathComponent(documentName)
        try document.write(to: file)
        return ReplayOutcome(run: outcome, document: document, documentFile: file)
    }
}

/// What a replay came to.
public struct ReplayOutcome: Sendable {
    /// The run: its report (a scenario per exchange) and where `report.json` is.
    public var run: RunOutcome
    /// What `replay.json` holds.
    public var document: ReplayDocument
    /// Where `replay.json` was written.
    public var documentFile: URL

    /// The run's report.
    public var report: TaaSReport { run.report }
}
