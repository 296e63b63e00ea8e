/// The test ledger of a lock: per scenario, the test cases the law contains, as the runner listed
/// them when `taas lock` ran. At run time every case of the ledger must come back from the runner
/// with a result; a case that does not (deselected, not collected, skipped when it was not marked
/// to skip) makes its scenario `error` with `law case not executed: ID`.
public struct TestLedger: Sendable, Codable, Equatable {
    /// The ledger of each scenario that has one, by scenario id.
    public var scenarios: [String: ScenarioLedger]

    public init(scenarios: [String: ScenarioLedger] = [:]) {
        self.scenarios = scenarios
    }
}

/// The cases of one scenario, or why its runner could not list them.
public struct ScenarioLedger: Sendable, Codable, Equatable {
    /// The runner that listed the cases (`pytest`, …).
    public var runner: String
    /// The cases, sorted by id; `nil` when the runner could not list them (see ``unlisted``).
    public var cases: [LedgerCase]?
    /// Why there is no list of cases (a runner that cannot list, or a listing that failed).
    public var unlisted: String?

    enum CodingKeys: String, CodingKey {
        case runner, cases
        case unlisted = "not_listed"
    }

    public init(runner: String, cases: [LedgerCase]? = nil, unlisted: String? = nil) {
        self.runner = runner
        self.cases = cases?.sorted { $0.id < $1.id }
        self.unlisted = unlisted
    }
}

/// One case of the ledger.
public struct LedgerCase: Sendable, Codable, Equatable {
    /// The runner's id of the case: for pytest its node id (`tests/test_core.py::TestX::test_y[1]`).
    public var id: String
    /// Markers that allow the case to be skipped or to fail expectedly (`skip`, `skipif`, `xfail`);
    /// a case without them that comes back skipped was not executed.
    public var mayNotRun: [String]

    enum CodingKeys: String, CodingKey {
        case id
        case mayNotRun = "may_skip"
    }

    public init(id: String, mayNotRun: [String] = []) {
        self.id = id
        self.mayNotRun = mayNotRun.sorted()
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        mayNotRun = try container.decodeIfPresent([String].self, forKey: .mayNotRun) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        if !mayNotRun.isEmpty { try container.encode(mayNotRun, forKey: .mayNotRun) }
    }
}
