import Synchronization
import TaaSCore

/// The test cases the scenarios of one run may still report together (``CaseLimits/casesPerRun``),
/// shared by the scenarios that run in parallel.
final class CaseBudget: Sendable {
    private let remaining: Mutex<Int>
    let limit: Int

    init(limit: Int) {
        self.limit = limit
        remaining = Mutex(limit)
    }

    /// Takes `count` cases from the budget; `false` (and nothing taken) when fewer are left.
    func take(_ count: Int) -> Bool {
        remaining.withLock { left in
            guard count <= left else { return false }
            left -= count
            return true
        }
    }
}

extension CaseLimits {
    /// A runner's result within the limits, whatever the runner did: more cases than a scenario
    /// may have, or than the run has left, make the attempt `error` with "case limit reached" and
    /// no cases; names and messages are cut to their lengths.
    func enforce(on result: RunnerResult, budget: CaseBudget) -> RunnerResult {
        var checked = result
        if result.cases.count > casesPerScenario {
            checked.cases = []
            checked.verdict = .error
            checked.message = perScenarioMessage
            return checked
        }
        if !budget.take(result.cases.count) {
            checked.cases = []
            checked.verdict = .error
            checked.message =
                "case limit reached: the scenarios of this run reported more than \(budget.limit) test cases together "
                + "(the limit of cases per run)"
            return checked
        }
        if result.cases.contains(where: {
            $0.name.utf8.count > nameBytes || $0.classname.utf8.count > nameBytes
                || ($0.message?.utf8.count ?? 0) > messageBytes
        }) {
            checked.cases = result.cases.map { self.bounded($0) }
        }
        checked.message = result.message.map { CaseLimits.cut($0, to: messageBytes) }
        return checked
    }
}
