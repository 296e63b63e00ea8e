import Foundation
import TaaSCore

extension ToolDescription {
    /// Runs Python's `unittest` on `execution.target` (a folder is discovered, a file or dotted name is
    /// loaded) and reads every test case, subtest and import failure from a JUnit XML file that a small
    /// driver writes next to unittest's own verbose output.
    ///
    /// Exit code 0 passes, 1 (failures or errors) fails, 5 (no tests ran) is `error`; a module that
    /// cannot be imported is `error`, as is a sandbox with no `python3`.
    public static let unittest = ToolDescription(
        name: "unittest",
        tool: "python3 -m unittest",
        step: { execution, files in
            .success(
                ToolStep(
                    tool: "python3",
                    arguments: ["python3", "-c", UnittestDriver.script, execution.target, files.path("junit.xml")]
                        + execution.arguments
                )
            )
        },
        results: .junit(files: ["junit.xml"], missing: { _ in "unittest wrote no results" }),
        noTests: { "unittest found no tests in \($0.target)" },
        ownRules: { run in
            let unimportable = run.cases.filter { $0.classname.hasPrefix("unittest.loader.") }
            if !unimportable.isEmpty {
                return run.result(
                    .error,
                    "unittest could not load \(unimportable.map(\.name).joined(separator: ", ")): "
                        + (unimportable[0].message?.split(separator: "\n").last.map(String.init) ?? "")
                )
            }
            if run.outcome.exitCode == 5, run.cases.isEmpty {
                return RunnerResult(
                    verdict: .error,
                    outcome: run.outcome,
                    message: "unittest found no tests in \(run.execution.target)"
                )
            }
            return nil
        },
        listing: .unittest
    )
}

extension Runner where Self == ToolRunner {
    /// Python's unittest, with per-case results (subtests included).
    public static var unittest: ToolRunner { ToolRunner(.unittest) }
}
