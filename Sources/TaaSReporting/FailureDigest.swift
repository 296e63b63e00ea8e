import TaaSCore

/// What went wrong in a run, in the order a person should read it: run-level errors first, then
/// each failed or errored scenario with its failed cases. The console, the HTML report and the
/// Markdown summary all show this one list.
public struct FailureDigest: Sendable, Equatable {
    /// One thing that failed.
    public struct Entry: Sendable, Equatable {
        /// The scenario's id, or `nil` for a run-level error.
        public var scenarioID: String?
        /// The case as `classname::name`, or `nil` for the scenario (or run error) itself.
        public var caseName: String?
        /// `fail` or `error`.
        public var verdict: Verdict
        /// The lines that say the most: the message's key lines, else the end of the output.
        public var lines: [String]

        /// `UNIT-001 › tests.test_core::test_x`, `API-001`, or the phase of a run error.
        public var title: String {
            [scenarioID, caseName].compactMap(\.self).joined(separator: " › ")
        }
    }

    /// Run-level errors (setup, services, teardown, sandbox, interruption), as entries with a phase title.
    public var runErrors: [RunError]
    /// Failed and errored scenarios and cases.
    public var entries: [Entry]
    /// How many scenarios were skipped (they are not listed one by one).
    public var skipped: Int

    /// `true` when nothing failed, errored or was skipped.
    public var isEmpty: Bool { runErrors.isEmpty && entries.isEmpty && skipped == 0 }

    /// The digest of a report.
    /// - Parameter lines: how many lines each entry keeps.
    public init(_ report: TaaSReport, lines: Int = 3) {
        runErrors = report.errors
        skipped = report.scenarios.count { $0.verdict == .skipped }
        entries = []
        for scenario in report.scenarios where scenario.verdict == .fail || scenario.verdict == .error {
            let failedCases = scenario.cases.filter { $0.verdict == .fail || $0.verdict == .error }
            // The scenario itself is listed when it has no failed case to show, or when its own
            // message says more than its cases (a timeout, an interruption, a runner error).
            if failedCases.isEmpty || scenario.verdict == .error || scenario.attempts.last?.timedOut == true {
                entries.append(
                    Entry(
                        scenarioID: scenario.id,
                        caseName: nil,
                        verdict: scenario.verdict,
                        lines: Self.scenarioLines(scenario, limit: lines)
                    )
                )
            }
            for testCase in failedCases {
                entries.append(
                    Entry(
                        scenarioID: scenario.id,
                        caseName: Self.caseName(testCase),
                        verdict: testCase.verdict,
                        lines: ReportText.keyLines(testCase.message ?? "", limit: lines)
                    )
                )
            }
        }
    }

    /// `classname::name`, or the name alone when there is no class.
    public static func caseName(_ testCase: CaseResult) -> String {
        testCase.classname.isEmpty ? testCase.name : "\(testCase.classname)::\(testCase.name)"
    }

    /// The scenario's message, then the end of its last attempt's output (stderr first).
    private static func scenarioLines(_ scenario: ScenarioResult, limit: Int) -> [String] {
        var lines = ReportText.keyLines(scenario.message ?? scenario.attempts.last?.message ?? "", limit: limit)
        if lines.count < limit, let last = scenario.attempts.last {
            let output = last.output.stderrTail.isEmpty ? last.output.stdoutTail : last.output.stderrTail
            lines += ReportText.lastLines(output, count: limit - lines.count).map {
                "│ " + ReportText.cut($0, width: 200)
            }
        }
        return lines
    }
}
