#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which scenarios of a scope a run runs: `--scenario` patterns, a `-k` expression, the failures
/// of an earlier run (`--rerun-failed`), and whether the run stops at the first failure
/// (`--fail-fast`). A scenario runs when it passes every filter that is given.
public struct ScenarioSelection: Sendable, Equatable {
    /// Globs over scenario ids (`*`, `?`, `[…]`); a scenario matching any of them is selected.
    public var patterns: [String]
    /// A pytest-style expression over scenario ids and types.
    public var keyword: KeywordExpression?
    /// The scenario ids that failed or errored in an earlier run, and that run's id.
    public var rerun: (runID: String, scenarioIDs: [String])?
    /// Stop starting scenarios after the first one that fails or errors; the rest are `skipped`.
    public var failFast: Bool

    public init(
        patterns: [String] = [],
        keyword: KeywordExpression? = nil,
        rerun: (runID: String, scenarioIDs: [String])? = nil,
        failFast: Bool = false
    ) {
        self.patterns = patterns
        self.keyword = keyword
        self.rerun = rerun
        self.failFast = failFast
    }

    public static func == (lhs: ScenarioSelection, rhs: ScenarioSelection) -> Bool {
        lhs.patterns == rhs.patterns && lhs.keyword == rhs.keyword && lhs.failFast == rhs.failFast
            && lhs.rerun?.runID == rhs.rerun?.runID && lhs.rerun?.scenarioIDs == rhs.rerun?.scenarioIDs
    }

    /// Whether any filter narrows the scenarios (`--fail-fast` alone runs them all).
    public var filters: Bool { !patterns.isEmpty || keyword != nil || rerun != nil }

    /// A selection that reruns what failed or errored in `report` (pytest's `--last-failed`).
    /// When nothing failed, it selects nothing more than the other filters (every scenario).
    public static func failures(of report: TaaSReport) -> (runID: String, scenarioIDs: [String]) {
        (report.runID, report.scenarios.filter { $0.verdict == .fail || $0.verdict == .error }.map(\.id))
    }

    /// Whether the scenario with this id and type is selected.
    public func selects(id: String, type: String) -> Bool {
        if !patterns.isEmpty, !patterns.contains(where: { fnmatch($0, id, 0) == 0 }) { return false }
        if let keyword, !keyword.matches(id: id, type: type) { return false }
        if let rerun, !rerun.scenarioIDs.isEmpty, !rerun.scenarioIDs.contains(id) { return false }
        return true
    }

    /// The patterns that match none of `ids`: probably a typo, reported before anything runs.
    public func unmatchedPatterns(ids: [String]) -> [String] {
        patterns.filter { pattern in !ids.contains { fnmatch(pattern, $0, 0) == 0 } }
    }

    /// The scope's scenarios split into those that run and those left out, in scope order.
    public func apply(to scenarios: [Scenario]) -> (selected: [Scenario], deselected: [Scenario]) {
        var selected: [Scenario] = []
        var deselected: [Scenario] = []
        for scenario in scenarios {
            if selects(id: scenario.id, type: scenario.type) {
                selected.append(scenario)
            } else {
                deselected.append(scenario)
            }
        }
        return (selected, deselected)
    }

    /// What the report records of this selection, with the ids it selected and left out.
    public func record(selected: [String], deselected: [String]) -> SelectionRecord {
        SelectionRecord(
            scenarioPatterns: patterns.isEmpty ? nil : patterns,
            keyword: keyword?.text,
            rerunFailedFrom: rerun?.runID,
            failFast: failFast ? true : nil,
            selected: selected,
            deselected: deselected
        )
    }
}

extension ScenarioSelection {
    /// The selection in words, as the command line gave it: `--scenario 'API-*' -k unit`.
    public var summary: String {
        var parts = patterns.map { "--scenario \($0)" }
        if let keyword { parts.append("-k \"\(keyword.text)\"") }
        if let rerun { parts.append("--rerun-failed (run \(rerun.runID))") }
        if failFast { parts.append("--fail-fast") }
        return parts.joined(separator: " ")
    }
}
