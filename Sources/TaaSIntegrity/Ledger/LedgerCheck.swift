import Foundation
import TaaSCore

/// Compares the cases a runner reported with the scenario's test ledger: every ledger case must
/// come back with a result, and a case the law did not contain is `unlisted`.
public struct LedgerCheck: Sendable, Equatable {
    /// A ledger case that did not run, with how it was lost when that is known.
    public struct Missing: Sendable, Equatable, CustomStringConvertible {
        public var id: String
        public var mechanism: String

        public var description: String { "law case not executed: \(id) (\(mechanism))" }
    }

    /// Ledger cases without a result, or skipped though the law did not allow them to be.
    public var missing: [Missing]
    /// Reported cases that are not in the ledger (as the runner names them).
    public var unlisted: [String]

    /// Compares `cases` (as the runner reported them) with `ledger`.
    /// - Parameter output: the end of the runner's output, to name the mechanism (`N deselected`).
    public static func compare(_ ledger: ScenarioLedger, with cases: [CaseResult], output: String = "") -> LedgerCheck {
        guard let listed = ledger.cases else { return LedgerCheck(missing: [], unlisted: []) }
        var reported: [String: CaseResult] = [:]
        for item in cases { reported[key(classname: item.classname, name: item.name)] = item }
        var expected: Set<String> = []
        var missing: [Missing] = []
        let deselected = output.contains(" deselected")
        for item in listed {
            let key = key(forLedgerID: item.id, runner: ledger.runner)
            expected.insert(key)
            guard let result = reported[key] else {
                missing.append(
                    Missing(
                        id: item.id,
                        mechanism: deselected
                            ? "deselected: the run deselected cases (-k, -m, addopts or a plugin)"
                            : "no result: not collected, deselected or dropped before it ran"
                    )
                )
                continue
            }
            if result.verdict == .skipped, item.mayNotRun.isEmpty {
                let reason = result.message.map { ": \($0)" } ?? ""
                missing.append(
                    Missing(id: item.id, mechanism: "skipped or xfailed, and not marked so at lock time\(reason)")
                )
            }
        }
        let unlisted = cases.filter { item in
            if expected.contains(key(classname: item.classname, name: item.name)) { return false }
            // go's subtests (`TestX/case`) are found only by running: they belong to their listed parent.
            if ledger.runner == "go", let slash = item.name.firstIndex(of: "/") {
                return !expected.contains(key(classname: item.classname, name: String(item.name[..<slash])))
            }
            return true
        }
        .map { $0.classname.isEmpty ? $0.name : "\($0.classname)::\($0.name)" }
        return LedgerCheck(missing: missing, unlisted: unlisted)
    }

    /// How a ledger id appears in the runner's report: for pytest, its JUnit `classname` and `name`
    /// as pytest's junitxml makes them from the node id (`a/b/test_c.py::K::t[x]` → `a.b.test_c.K`, `t[x]`).
    /// For the other runners the ledger id is `classname::name` as the runner reports it, split at the
    /// first `::` (a cargo test's name has its own: `src/lib.rs::tests::it_works`).
    static func key(forLedgerID id: String, runner: String) -> String {
        guard runner == "pytest" else {
            guard let separator = id.range(of: "::") else { return key(classname: "", name: id) }
            return key(classname: String(id[..<separator.lowerBound]), name: String(id[separator.upperBound...]))
        }
        let bracket = id.firstIndex(of: "[") ?? id.endIndex
        var names = id[..<bracket].components(separatedBy: "::")
        var file = names[0].replacingOccurrences(of: "/", with: ".")
        if file.hasSuffix(".py") { file.removeLast(3) }
        names[0] = file
        names[names.count - 1] += id[bracket...]
        return key(classname: names.dropLast().joined(separator: "."), name: names.last!)
    }

    private static func key(classname: String, name: String) -> String {
        classname + "\u{0}" + name
    }
}
