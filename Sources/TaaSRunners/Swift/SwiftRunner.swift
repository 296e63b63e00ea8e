import Foundation
import TaaSCore

/// Runs `swift test --package-path TARGET --parallel --xunit-output FILE ARGS` on the Swift package at
/// `execution.target` and reads each test from the xUnit files it writes: XCTest's `FILE` and Swift
/// Testing's `FILE-swift-testing.xml` (whichever exist), with XCTest's failure messages from its output.
/// A build error is `error`. In `--parallel` mode, SwiftPM reports a skipped XCTest as passed.
public struct SwiftRunner: Runner {
    public init() {}

    public var name: String { "swift" }

    public func run(
        _ attempt: RunnerAttempt,
        in sandbox: any SandboxInstance
    ) async throws(SandboxError) -> RunnerResult {
        guard let execution = attempt.execution else {
            return .noExecution
        }
        let reportName = "\(attempt.label).xunit.xml"
        let outputName = "\(attempt.label).swift-test.txt"
        let step = ToolStep(
            tool: "swift",
            arguments: [
                "swift", "test", "--package-path", execution.target, "--parallel",
                "--xunit-output", "\(sandbox.artifactsPath)/\(reportName)",
            ] + execution.arguments,
            outputArtifact: outputName,
            mergeStandardError: true
        )
        let outcome = try await sandbox.run(step.request(for: attempt, in: sandbox))
        var cases: [CaseResult] = []
        var problems: [String] = []
        var found = false
        for name in [reportName, reportName.replacingOccurrences(of: ".xml", with: "-swift-testing.xml")] {
            guard let data = try await sandbox.readArtifact(name) else { continue }
            found = true
            do { cases += try JUnitParser.cases(from: data, limits: attempt.limits) } catch {
                problems.append(error.description)
            }
        }
        if !found { problems.append("swift test wrote no xUnit report") }
        let output = String(decoding: try await sandbox.readArtifact(outputName) ?? Data(), as: UTF8.self)
        cases = Self.addingMessages(to: cases, from: output)
        return ToolJudgement.judge(
            outcome,
            tool: "swift test",
            cases: cases,
            reportProblem: problems.isEmpty ? nil : problems.joined(separator: "; "),
            noTests: "swift test found no tests in \(execution.target)",
            timeout: attempt.scenario.timeout
        )
    }
}

extension SwiftRunner {
    /// XCTest's xUnit file (in `--parallel` mode) says only "failure": the message comes from the
    /// output line `FILE:LINE: error: CLASS.TEST : MESSAGE`.
    static func addingMessages(to cases: [CaseResult], from output: String) -> [CaseResult] {
        let lines = output.split(separator: "\n")
        return cases.map { testCase in
            guard testCase.verdict == .fail || testCase.verdict == .error,
                testCase.message == nil || testCase.message == "failure"
            else { return testCase }
            let className = testCase.classname.split(separator: ".").last.map(String.init) ?? testCase.classname
            let marker = "error: \(className).\(testCase.name) : "
            let messages = lines.compactMap { line in line.range(of: marker).map { String(line[$0.upperBound...]) } }
            guard !messages.isEmpty else { return testCase }
            var enriched = testCase
            enriched.message = messages.joined(separator: "\n")
            return enriched
        }
    }
}

extension Runner where Self == SwiftRunner {
    /// `swift test`, with per-test results from its xUnit output (XCTest and Swift Testing).
    public static var swift: SwiftRunner { SwiftRunner() }
}
