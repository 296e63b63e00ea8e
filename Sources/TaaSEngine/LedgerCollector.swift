import Foundation
import TaaSCore

/// Lists, in the scope's own sandbox, the test cases each scenario's law contains: the test ledger
/// that `taas lock` records. The sandbox is made as for a run (a venv or Docker sandbox installs
/// `environment.dependencies` first); no setup step and no service runs, since listing only imports
/// or builds the tests.
///
/// Each scenario's runner lists its cases when it is a ``CaseListingRunner`` that can (pytest,
/// unittest, go and cargo among the built-in ones: see ``ToolListing``); the others are recorded
/// as not listed, with the reason.
public struct LedgerCollector: Sendable {
    public var options: RunOptions

    public init(options: RunOptions) {
        self.options = options
    }

    /// The ledger of `scope`.
    /// - Throws: ``SandboxError`` when the sandbox cannot be started.
    /// - Parameter observer: receives the sandbox's notes (a virtualenv or an image being made).
    public func collect(
        _ scope: TestScope,
        observer: any RunObserver = SilentObserver()
    ) async throws(SandboxError) -> TestLedger {
        var ledger = TestLedger()
        var listable: [(Scenario, any CaseListingRunner)] = []
        for scenario in scope.scenarios {
            guard case .execution(let execution) = scenario.action else { continue }
            if let runner = options.runners.runner(for: scenario) as? any CaseListingRunner, runner.listsCases {
                listable.append((scenario, runner))
            } else {
                ledger.scenarios[scenario.id] = ScenarioLedger(
                    runner: execution.runner,
                    unlisted: "taas cannot list the cases of the \(execution.runner) runner yet"
                )
            }
        }
        guard !listable.isEmpty else { return ledger }
        let sandbox = try options.sandbox(for: scope)
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("taas-ledger-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: logs) }
        try? FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let configuration = options.sandboxConfiguration(
            for: scope,
            runID: Harness.makeRunID(),
            logDirectory: logs,
            observer: observer,
            clock: PhaseClock()
        )
        do {
            let found = try await sandbox.withInstance(configuration) { instance in
                var found: [String: ScenarioLedger] = [:]
                for (scenario, runner) in listable {
                    let attempt = RunnerAttempt(
                        scenario: scenario,
                        number: 0,
                        label: "\(scenario.id).ledger",
                        limits: options.caseLimits
                    )
                    found[scenario.id] = try await runner.listCases(attempt, in: instance)
                }
                return found
            }
            ledger.scenarios.merge(found) { $1 }
        } catch let error as SandboxError {
            throw error
        } catch {
            throw SandboxError(.unavailable, "cannot list the tests: \(error)")
        }
        return ledger
    }
}
