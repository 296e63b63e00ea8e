import Foundation
import TaaSCore

extension ToolDescription {
    /// `node --test ARGS TARGET` with Node's `junit` reporter writing to a file (and its `spec`
    /// reporter on the output); each test is read from the JUnit XML. Needs Node 20 or newer.
    public static let node = ToolDescription(
        name: "node",
        tool: "node --test",
        environment: ["NO_COLOR": "1"],
        step: { execution, files in
            .success(
                ToolStep(
                    tool: "node",
                    arguments: [
                        "node", "--test", "--test-reporter=junit",
                        "--test-reporter-destination=\(files.path("junit.xml"))",
                        "--test-reporter=spec", "--test-reporter-destination=stdout",
                    ] + execution.arguments + [execution.target]
                )
            )
        },
        results: .junit(
            files: ["junit.xml"],
            missing: { _ in "node wrote no JUnit report (its junit reporter needs Node 20 or newer)" }
        ),
        noTests: { "node --test found no tests in \($0.target)" }
    )
}

extension Runner where Self == ToolRunner {
    /// Node's built-in test runner, with per-test results from its junit reporter.
    public static var node: ToolRunner { ToolRunner(.node) }
}
