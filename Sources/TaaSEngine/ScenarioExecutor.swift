import TaaSCore
import TaaSIntegrity

/// Runs one scenario: its attempts, with the retry policy's waits between them.
struct ScenarioExecutor {
    var runners: RunnerRegistry
    var observer: any RunObserver
    /// The bounds on the cases a runner may report.
    var limits = CaseLimits()
    /// The cases all scenarios of the run may still report.
    var budget = CaseBudget(limit: CaseLimits().casesPerRun)
    /// The verified lock's test ledger: each attempt's cases are checked against it.
    var ledger: TestLedger?
    /// Whether a case that is not in the ledger makes the scenario `error` (else a warning).
    var strictLedger = false
    /// The run's trace, passed to each attempt.
    var trace: TraceContext?

    func run(_ scenario: Scenario, in sandbox: any SandboxInstance) async -> ScenarioResult {
        let clock = ContinuousClock()
        let started = clock.now
        guard let runner = runners.runner(for: scenario) else {
            return ScenarioResult(
                id: scenario.id,
                type: scenario.type,
                verdict: .error,
                message: "no runner is registered for this scenario (known: \(runners.names.joined(separator: ", ")))"
            )
        }
        var attempts: [AttemptResult] = []
        var cases: [CaseResult] = []
        var message: String?
        var unlisted: [String] = []
        let total = scenario.retryPolicy.attempts
        for number in 1...total {
            if Task.isCancelled { break }
            observer.handle(.attemptStarted(scenarioID: scenario.id, attempt: number))
            let attempt = RunnerAttempt(
                scenario: scenario,
                number: number,
                label: "\(scenario.id).attempt-\(number)",
                limits: limits,
                trace: trace
            )
            var result: RunnerResult
            do {
                result = try await runner.run(attempt, in: sandbox)
                result = limits.enforce(on: result, budget: budget)
                unlisted = checkLedger(of: scenario, &result)
            } catch {
                // A refused artifact is the attempt's own doing (a link or a FIFO where its report
                // should be); anything else means the sandbox itself broke.
                result = RunnerResult(
                    verdict: .error,
                    outcome: StepOutcome(exitCode: nil, duration: clock.now - started),
                    message: error.code == .refusedArtifact ? error.message : "the sandbox broke: \(error.message)"
                )
            }
            var record = AttemptResult(number: number, result: result)
            if result.outcome.stopped && Task.isCancelled {
                record.verdict = .error
                record.message = "interrupted"
            }
            attempts.append(record)
            observer.handle(.attemptFinished(scenarioID: scenario.id, attempt: record))
            cases = result.cases
            message = record.message
            guard VerdictRules.shouldRetry(after: record.verdict, attempt: number, of: total) else { break }
            let wait = scenario.retryPolicy.delay(afterFailedAttempts: number)
            if wait > .zero {
                do { try await Task.sleep(for: wait) } catch { break }
            }
        }
        var (verdict, flaky) = VerdictRules.scenarioVerdict(attempts: attempts)
        if Task.isCancelled, verdict != .pass {
            verdict = attempts.isEmpty ? .skipped : .error
            message = attempts.isEmpty ? "not run: the run was interrupted" : "interrupted"
        }
        if verdict == .pass { message = flaky ? "passed on attempt \(attempts.count) of \(total) (flaky)" : nil }
        if !unlisted.isEmpty, !strictLedger {
            let note = "warning: \(unlisted.count) case(s) not in the lock's ledger (unlisted): \(Self.names(unlisted))"
            message = message.map { "\($0); \(note)" } ?? note
        }
        return ScenarioResult(
            id: scenario.id,
            type: scenario.type,
            verdict: verdict,
            flaky: flaky,
            durationMS: DurationText.milliseconds(clock.now - started),
            attempts: attempts,
            cases: cases,
            message: message
        )
    }

    /// Checks an attempt's cases against the scenario's ledger: a ledger case without a result
    /// makes the attempt `error` (`law case not executed: ID (how)`; not after a timeout, which is
    /// already `fail`), as does, with
    /// `strictLedger`, a case that is not in the ledger. Returns the unlisted cases.
    private func checkLedger(of scenario: Scenario, _ result: inout RunnerResult) -> [String] {
        // A run that timed out is already `fail`, with the cases it reached.
        guard let entry = ledger?.scenarios[scenario.id], result.outcome.launchError == nil, !result.outcome.timedOut
        else {
            return []
        }
        let check = LedgerCheck.compare(entry, with: result.cases, output: result.outcome.stdout.tail)
        var problems = check.missing.map(\.description)
        if strictLedger, !check.unlisted.isEmpty {
            problems.append(
                "\(check.unlisted.count) case(s) not in the lock's ledger (--strict-ledger): \(Self.names(check.unlisted))"
            )
        }
        guard !problems.isEmpty else { return check.unlisted }
        let shown =
            problems.prefix(5).joined(separator: "; ") + (problems.count > 5 ? "; … (\(problems.count) in all)" : "")
        result.verdict = .error
        result.message = shown + (result.message.map { "; the runner said: \($0)" } ?? "")
        return check.unlisted
    }

    private static func names(_ names: [String]) -> String {
        names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : "")
    }
}
