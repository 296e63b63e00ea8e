import TaaSCore

/// How verdicts combine. Pure functions, tested without processes.
public enum VerdictRules {
    /// The run's verdict: `error` when anything that is not a test's verdict went wrong or a
    /// scenario errored; else `fail` when a scenario failed; else `pass`.
    public static func runVerdict(scenarios: [ScenarioResult], errors: [RunError]) -> Verdict {
        if !errors.isEmpty || scenarios.contains(where: { $0.verdict == .error }) { return .error }
        if scenarios.isEmpty { return .error }
        if scenarios.contains(where: { $0.verdict == .fail || $0.verdict == .skipped }) {
            return scenarios.contains(where: { $0.verdict == .fail }) ? .fail : .error
        }
        return .pass
    }

    /// A scenario's verdict from its attempts: the last attempt's, flaky when it passed after a failure.
    public static func scenarioVerdict(attempts: [AttemptResult]) -> (verdict: Verdict, flaky: Bool) {
        guard let last = attempts.last else { return (.skipped, false) }
        let flaky = last.verdict == .pass && attempts.dropLast().contains { $0.verdict == .fail }
        return (last.verdict, flaky)
    }

    /// Whether another attempt follows an attempt with this verdict: only failures are retried; an
    /// error (a missing tool, no tests collected) would only repeat.
    public static func shouldRetry(after verdict: Verdict, attempt: Int, of attempts: Int) -> Bool {
        verdict == .fail && attempt < attempts
    }
}
