import Foundation
import TaaSCore

/// The statistics of `GET /v1/scopes` and `GET /v1/scopes/{id}/cases`, computed from the store.
enum ScopeStatistics {
    /// How many of a scope's latest runs the pass rate and median duration are over.
    static let window = 20

    struct ScopeRow: Codable, Sendable {
        var scopeID: String
        var lastVerdict: String?
        var runs: Int
        var passRate: Double?
        var medianDurationMS: Int?
        var flakyCases: Int
        enum CodingKeys: String, CodingKey {
            case scopeID = "scope_id"
            case lastVerdict = "last_verdict"
            case runs
            case passRate = "pass_rate"
            case medianDurationMS = "median_duration_ms"
            case flakyCases = "flaky_cases"
        }
    }

    struct CaseRow: Codable, Sendable {
        var name: String
        var runs: Int
        var passes: Int
        var failures: Int
        var flaky: Int
        var lastFailure: String?
        enum CodingKeys: String, CodingKey {
            case name, runs, passes, failures, flaky
            case lastFailure = "last_failure"
        }
    }

    static func scope(_ scopeID: String, store: any RunStore) async throws -> ScopeRow {
        let runs = try await store.finishedRuns(scopeID: scopeID, limit: window)
        let passes = runs.count { $0.verdict == .pass }
        let durations = runs.compactMap(\.durationMS).sorted()
        let cases = try await caseRows(scopeID, store: store)
        return ScopeRow(
            scopeID: scopeID,
            lastVerdict: runs.first?.verdict?.rawValue,
            runs: runs.count,
            passRate: runs.isEmpty ? nil : Double(passes) / Double(runs.count),
            medianDurationMS: durations.isEmpty ? nil : durations[durations.count / 2],
            flakyCases: cases.count { $0.flaky > 0 }
        )
    }

    /// Per case: runs, passes, failures, and how often it was flaky (passed on a retry, or both passed
    /// and failed for the same workspace digest); flakiest first.
    static func caseRows(_ scopeID: String, store: any RunStore) async throws -> [CaseRow] {
        let cases = try await store.cases(scopeID: scopeID)
        var rows: [String: CaseRow] = [:]
        var verdictsByDigest: [String: [String: Set<Verdict>]] = [:]
        for item in cases {
            var row = rows[item.name] ?? CaseRow(name: item.name, runs: 0, passes: 0, failures: 0, flaky: 0)
            row.runs += 1
            if item.verdict == .pass { row.passes += 1 }
            if item.verdict == .fail || item.verdict == .error {
                row.failures += 1
                row.lastFailure = item.message ?? item.verdict.rawValue
            }
            if item.flaky { row.flaky += 1 }
            rows[item.name] = row
            if let digest = item.workspaceDigest {
                verdictsByDigest[item.name, default: [:]][digest, default: []].insert(item.verdict)
            }
        }
        for (name, digests) in verdictsByDigest {
            let mixed = digests.values.count { $0.contains(.pass) && ($0.contains(.fail) || $0.contains(.error)) }
            rows[name]?.flaky += mixed
        }
        return rows.values.sorted { ($0.flaky, $0.failures, $1.name) > ($1.flaky, $1.failures, $0.name) }
    }
}
