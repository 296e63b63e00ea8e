import Foundation
import TaaSCore

extension ToolDescription {
    /// Runs `swift test --package-path TARGET --parallel --xunit-output FILE ARGS` on the Swift package at
    /// `execution.target` and reads each test from the xUnit files it writes: XCTest's `FILE` and Swift
    /// Testing's `FILE-swift-testing.xml` (whichever exist), with XCTest's failure messages from its output.
    /// A build error is `error`. In `--parallel` mode, SwiftPM reports a skipped XCTest as passed.
    public static let swift = ToolDescription(
        name: "swift",
        tool: "swift test",
        step: { execution, files in
            .success(
                ToolStep(
                    tool: "swift",
                    arguments: [
                        "swift", "test", "--package-path", execution.target, "--parallel", "--xunit-output",
                        files.path("xunit.xml"),
                    ] + execution.arguments,
                    outputArtifact: files.name("swift-test.txt"),
                    mergeStandardError: true
                )
            )
        },
        results: .junit(
            files: ["xunit.xml", "xunit-swift-testing.xml"],
            missing: { _ in "swift test wrote no xUnit report" },
            output: "swift-test.txt",
            annotate: { XCTestOutput.addingMessages(to: $0, from: $1) }
        ),
        noTests: { "swift test found no tests in \($0.target)" }
    )
}

extension Runner where Self == ToolRunner {
    /// `swift test`, with per-test results from its xUnit output (XCTest and Swift Testing).
    public static var swift: ToolRunner { ToolRunner(.swift) }
}
