/// The report's `selection`: how the run chose its scenarios (`--scenario`, `-k`,
/// `--rerun-failed`, `--fail-fast`) and which ones it ran and left out. Absent when the run ran
/// the whole scope.
public struct SelectionRecord: Sendable, Codable, Equatable {
    /// The `--scenario` globs.
    public var scenarioPatterns: [String]?
    /// The `-k` expression.
    public var keyword: String?
    /// The id of the run whose failures were rerun (`--rerun-failed`).
    public var rerunFailedFrom: String?
    /// `true` when the run stopped starting scenarios after the first failure.
    public var failFast: Bool?
    /// The ids of the scenarios selected to run, in scope order (a `--fail-fast` run may skip some).
    public var selected: [String]
    /// The ids of the scope's scenarios left out; they are not in the report's `scenarios`.
    public var deselected: [String]

    enum CodingKeys: String, CodingKey {
        case scenarioPatterns = "scenario_patterns"
        case keyword
        case rerunFailedFrom = "rerun_failed_from"
        case failFast = "fail_fast"
        case selected, deselected
    }

    public init(
        scenarioPatterns: [String]? = nil,
        keyword: String? = nil,
        rerunFailedFrom: String? = nil,
        failFast: Bool? = nil,
        selected: [String],
        deselected: [String]
    ) {
        self.scenarioPatterns = scenarioPatterns
        self.keyword = keyword
        self.rerunFailedFrom = rerunFailedFrom
        self.failFast = failFast
        self.selected = selected
        self.deselected = deselected
    }
}
