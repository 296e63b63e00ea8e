/// Counts of a report's scenarios and test cases.
public struct Summary: Sendable, Codable, Equatable {
    public var scenarios: Int
    public var passed: Int
    public var failed: Int
    public var errored: Int
    public var skipped: Int
    public var flaky: Int
    public var cases: CaseCounts

    /// Counts of test cases over all scenarios.
    public struct CaseCounts: Sendable, Codable, Equatable {
        public var total: Int
        public var passed: Int
        public var failed: Int
        public var errored: Int
        public var skipped: Int

        public init(total: Int = 0, passed: Int = 0, failed: Int = 0, errored: Int = 0, skipped: Int = 0) {
            self.total = total
            self.passed = passed
            self.failed = failed
            self.errored = errored
            self.skipped = skipped
        }
    }

    /// The counts of these scenario results.
    public init(scenarios results: [ScenarioResult]) {
        scenarios = results.count
        passed = results.count { $0.verdict == .pass }
        failed = results.count { $0.verdict == .fail }
        errored = results.count { $0.verdict == .error }
        skipped = results.count { $0.verdict == .skipped }
        flaky = results.count(where: \.flaky)
        let allCases = results.flatMap(\.cases)
        cases = CaseCounts(
            total: allCases.count,
            passed: allCases.count { $0.verdict == .pass },
            failed: allCases.count { $0.verdict == .fail },
            errored: allCases.count { $0.verdict == .error },
            skipped: allCases.count { $0.verdict == .skipped }
        )
    }
}
