import Foundation
import TaaSCore

extension ToolDescription {
    /// Runs pytest (as `python3 -m pytest TARGET` would, through ``PytestPlugins/bootstrap``, which
    /// loads no plugin from the workspace, with ``PytestLawGuard``) with a JUnit XML file and reads every
    /// test case from it.
    ///
    /// pytest's exit codes decide the verdict: 0 passes (when tests were collected), 1 fails, and the
    /// rest (2 interrupted or collection errors, 3 internal error, 4 usage error, 5 no tests
    /// collected) are `error`, as is a sandbox with no pytest.
    public static let pytest = ToolDescription(
        name: "pytest",
        tool: "pytest",
        program: "python3",
        step: { execution, files in
            .success(
                ToolStep(
                    tool: "python3",
                    arguments: [
                        "python3", "-c",
                        PytestPlugins.bootstrap + PytestLawGuard.script
                            + "sys.exit(pytest.main(sys.argv[2:], plugins=[_TaasLawGuard(_workspace)]))",
                        files.workspacePath, execution.target, "-p", "no:cacheprovider",
                        "--junitxml=\(files.path("junit.xml"))", "-o", "junit_family=xunit1", "-q", "--color=no",
                    ] + execution.arguments
                )
            )
        },
        results: .junit(files: ["junit.xml"], missing: { _ in "pytest wrote no JUnit XML report" }),
        noTests: { "pytest collected no tests from \($0.target)" },
        ownRules: PytestRules.verdict,
        listing: .pytest
    )
}

extension Runner where Self == ToolRunner {
    /// pytest, with per-case results from its JUnit XML.
    public static var pytest: ToolRunner { ToolRunner(.pytest) }
}
