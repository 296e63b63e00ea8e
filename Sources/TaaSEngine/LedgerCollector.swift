import Foundation
import TaaSCore

/// Lists, in the scope's own sandbox, the test cases each scenario's law contains: the test ledger
/// that `taas lock` records. The sandbox is made as for a run (a venv or Docker sandbox installs
/// `environment.dependencies` first); no setup step and no service runs, since listing only imports
/// the tests.
///
/// - pytest: the node ids of `pytest --collect-only` with the scenario's own arguments, each with
///   the markers that allow it not to run (`skip`, `skipif`, `xfail`), gathered by a plugin object
///   passed to `pytest.main` (nothing is written into the workspace);
/// - unittest: the tests its loader finds for the target, as the unittest runner names them
///   (`module.Class::test_method`), each with `skip` when a skip decorator is on it or its class;
/// - the other runners are recorded as not listed, with the reason.
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
        let executions = scope.scenarios.compactMap { scenario -> (Scenario, Execution)? in
            guard case .execution(let execution) = scenario.action else { return nil }
            return (scenario, execution)
        }
        var ledger = TestLedger()
        let listable = executions.filter { Self.listing[$0.1.runner] != nil }
        for (scenario, execution) in executions where Self.listing[execution.runner] == nil {
            ledger.scenarios[scenario.id] = ScenarioLedger(
                runner: execution.runner,
                unlisted: "taas cannot list the cases of the \(execution.runner) runner yet"
            )
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
            observer: observer
        )
        do {
            let found = try await sandbox.withInstance(configuration) { instance in
                var found: [String: ScenarioLedger] = [:]
                for (scenario, execution) in listable {
                    found[scenario.id] = try await Self.cases(scenario, execution, in: instance)
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

    /// The listing script of each runner that can list: run as `python3 -c SCRIPT OUTPUT TARGET ARGS…`.
    static let listing: [String: String] = ["pytest": pytestScript, "unittest": unittestScript]

    /// The listing step of one scenario.
    static func cases(
        _ scenario: Scenario,
        _ execution: Execution,
        in instance: any SandboxInstance
    ) async throws(SandboxError) -> ScenarioLedger {
        let runner = execution.runner
        let name = "\(scenario.id).ledger.json"
        let step = StepRequest(
            label: "\(scenario.id).ledger",
            arguments: [
                "/bin/sh", "-c", "exec python3 \"$@\"", "python3", "-c", listing[runner]!,
                "\(instance.artifactsPath)/\(name)", execution.target,
            ] + execution.arguments,
            workingDirectory: execution.workingDirectory,
            environment: scenario.environment,
            timeout: scenario.timeout
        )
        let outcome = try await instance.run(step)
        let output = (outcome.stdout.tail + "\n" + outcome.stderr.tail).split(separator: "\n").suffix(3).joined(
            separator: " | "
        )
        guard let data = try await instance.readArtifact(name),
            let listing = try? JSONDecoder().decode(Listing.self, from: data)
        else {
            return ScenarioLedger(
                runner: runner,
                unlisted:
                    "listing the \(runner) cases failed (exit \(outcome.exitCode.map(String.init) ?? "none")): \(output)"
            )
        }
        guard listing.exit == 0 else {
            return ScenarioLedger(
                runner: runner,
                unlisted: "listing the \(runner) cases ended with exit code \(listing.exit): \(output)"
            )
        }
        return ScenarioLedger(runner: runner, cases: listing.cases.map { LedgerCase(id: $0.id, mayNotRun: $0.marks) })
    }

    private struct Listing: Decodable {
        struct Item: Decodable {
            var id: String
            var marks: [String]
        }
        var exit: Int
        var cases: [Item]
    }

    /// Runs `pytest --collect-only -q -p no:cacheprovider TARGET ARGS…` with a plugin object that
    /// writes every collected node id, with its skip and xfail markers, to the file named first.
    static let pytestScript = """
        import json, sys
        import pytest
        class Ledger:
            def __init__(self):
                self.cases = []
            def pytest_collection_finish(self, session):
                for item in session.items:
                    marks = sorted({m.name for m in item.iter_markers() if m.name in ("skip", "skipif", "xfail")})
                    self.cases.append({"id": item.nodeid, "marks": marks})
        ledger = Ledger()
        code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider"] + sys.argv[2:], plugins=[ledger])
        with open(sys.argv[1], "w") as out:
            json.dump({"exit": int(code), "cases": ledger.cases}, out)
        """

    /// Loads the target as the unittest runner does (a folder is discovered, a file or dotted name
    /// loaded) with a test runner that lists instead of running.
    static let unittestScript = """
        import json, os, sys, unittest
        output, target, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
        cases = []
        def walk(suite):
            for test in suite:
                if isinstance(test, unittest.TestSuite):
                    walk(test)
                    continue
                method = getattr(test, "_testMethodName", None) or str(test)
                skipped = getattr(type(test), "__unittest_skip__", False) or getattr(getattr(test, method, None), "__unittest_skip__", False)
                cases.append({"id": type(test).__module__ + "." + type(test).__qualname__ + "::" + method,
                              "marks": ["skip"] if skipped else []})
        class Lister:
            def run(self, suite):
                walk(suite)
                return unittest.TestResult()
        arguments = (["discover", "-s", target] if os.path.isdir(target) else [target]) + extra
        unittest.main(module=None, argv=["python3 -m unittest"] + arguments, testRunner=Lister(), exit=False)
        failed = [case for case in cases if case["id"].startswith("unittest.loader.")]
        with open(output, "w") as out:
            json.dump({"exit": 2 if failed else 0, "cases": cases}, out)
        """
}
