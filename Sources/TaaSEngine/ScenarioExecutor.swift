import TaaSCore

/// Runs one scenario: its attempts, with the retry policy's waits between them.
struct ScenarioExecutor {
    var runners: RunnerRegistry
    var observer: any RunObserver

    func run(_ scenario: Scenario, in sandbox: any SandboxInstance) async -> ScenarioResult {
        let clock = ContinuousClock()
        let started = clock.now
        guard let runner = runners.runner(for: scenario) else {
            return ScenarioResult(
                id: scenario.id, type: scenario.type, verdict: .error,
                message: "no runner is registered for this scenario (known: \(runners.names.joined(separator: ", ")))")
        }
        var attempts: [AttemptResult] = []
        var cases: [CaseResult] = []
        var message: String?
        let total = scenario.retryPolicy.attempts
        for number in 1...total {
            if Task.isCancelled { break }
            observer.handle(.attemptStarted(scenarioID: scenario.id, attempt: number))
            let attempt = RunnerAttempt(scenario: scenario, number: number, label: "\(scenario.id).attempt-\(number)")
            let result: RunnerResult
            do {
                result = try await runner.run(attempt, in: sandbox)
            } catch {
                // A refused artifact is the attempt's own doing (a link or a FIFO where its report
                // should be); anything else means the sandbox itself broke.
                result = RunnerResult(
                    verdict: .error, outcome: StepOutcome(exitCode: nil, duration: clock.now - started),
                    message: error.code == .refusedArtifact ? error.message : "the sandbox broke: \(error.message)")
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
        return ScenarioResult(
            id: scenario.id, type: scenario.type, verdict: verdict, flaky: flaky,
            durationMS: DurationText.milliseconds(clock.now - started), attempts: attempts, cases: cases, message: message)
    }
}
