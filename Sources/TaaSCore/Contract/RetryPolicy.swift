/// How often a scenario is tried, and how long to wait between tries.
public struct RetryPolicy: Sendable, Equatable {
    /// How the wait grows after each failed attempt.
    public enum Backoff: String, Sendable, CaseIterable {
        /// No wait.
        case none
        /// The base delay every time.
        case fixed
        /// base × n after the n-th failed attempt.
        case linear
        /// base × 2^(n−1) after the n-th failed attempt.
        case exponential
    }

    /// The number of attempts, at least 1.
    public var attempts: Int
    public var backoff: Backoff
    /// The base delay.
    public var delay: Duration

    public init(attempts: Int = 1, backoff: Backoff = .none, delay: Duration = .seconds(1)) {
        self.attempts = attempts
        self.backoff = backoff
        self.delay = delay
    }

    /// The wait before the next attempt, after `failedAttempts` (≥ 1) attempts have failed.
    public func delay(afterFailedAttempts failedAttempts: Int) -> Duration {
        let n = max(1, failedAttempts)
        switch backoff {
        case .none: return .zero
        case .fixed: return delay
        case .linear: return delay * n
        case .exponential: return delay * (1 << min(n - 1, 20))
        }
    }
}
