import Foundation
import TaaSCore

extension ToolListing {
    /// pytest's listing: the node ids of `pytest --collect-only` with the scenario's own arguments, each
    /// with the markers that allow it not to run (`skip`, `skipif`, `xfail`), gathered by a plugin object
    /// passed to `pytest.main` (nothing is written into the workspace).
    /// Plugins load as in a run (``PytestPlugins/bootstrap``: none from the workspace's distributions).
    public static let pytest = python(
        tool: "pytest",
        script: PytestPlugins.bootstrap + "del sys.argv[1]\n" + pytestScript,
        workspaceFirst: true
    )

    /// unittest's listing: the tests its loader finds for the target, as the unittest runner names them
    /// (`module.Class::test_method`), each with `skip` when a skip decorator is on it or its class.
    public static let unittest = python(tool: "unittest", script: unittestScript)

    /// A listing by a Python script run as `python3 -c SCRIPT OUTPUT TARGET ARGS…` (with the workspace's
    /// root before OUTPUT when `workspaceFirst`), which writes `{"exit": N, "cases": [{"id": …, "marks": […]}]}`
    /// to OUTPUT.
    static func python(tool: String, script: String, workspaceFirst: Bool = false) -> ToolListing {
        ToolListing(
            steps: { execution, files in
                [
                    Step(
                        ToolStep(
                            tool: "python3",
                            arguments: ["python3", "-c", script] + (workspaceFirst ? [files.workspacePath] : [])
                                + [files.path("ledger.json"), execution.target] + execution.arguments
                        ),
                        artifact: files.name("ledger.json")
                    )
                ]
            },
            read: { _, outputs in
                let output = outputs[0]
                guard let data = output.data, let listing = try? JSONDecoder().decode(Listing.self, from: data) else {
                    return .failure(
                        ToolListingFailure("listing the \(tool) cases failed (exit \(output.exitCode)): \(output.tail)")
                    )
                }
                guard listing.exit == 0 else {
                    return .failure(
                        ToolListingFailure(
                            "listing the \(tool) cases ended with exit code \(listing.exit): \(output.tail)"
                        )
                    )
                }
                return .success(listing.cases.map { LedgerCase(id: $0.id, mayNotRun: $0.marks) })
            }
        )
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
    private static let pytestScript = """
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
    private static let unittestScript = """
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
