import Foundation

/// Where `list_runs` finds runs when a Quality Fabric is configured (`taas mcp --server URL`): the
/// Fabric's run history. `taas` plugs in a client of the Fabric's API; without one, `list_runs`
/// looks for `report.json` files in local folders.
public protocol RunHistory: Sendable {
    /// Where the runs come from, for the agent (the Fabric's URL).
    var source: String { get }
    /// The body of the Fabric's `GET /v1/runs` for these filters: `{"runs": [...], ...}`, newest first.
    func runs(scopeID: String?, verdict: String?, limit: Int) async throws -> Data
}
