import Foundation
import TaaSCore

/// Runs `node --test ARGS TARGET` with Node's `junit` reporter writing to a file (and its `spec`
/// reporter on the output) and reads each test from the JUnit XML. Needs Node 20 or newer.
public struct NodeRunner: Runner {
    public init() {}

    public var name: String { "node" }

    public func run(
        _ attempt: RunnerAttempt,
        in sandbox: any SandboxInstance
    ) async throws(SandboxError) -> RunnerResult {
        guard let execution = attempt.execution else {
            return .noExecution
        }
        let reportName = "\(attempt.label).junit.xml"
        let step = ToolStep(
            tool: "node",
            arguments: [
                "node", "--test", "--test-reporter=junit",
                "--test-reporter-destination=\(sandbox.artifactsPath)/\(reportName)",
                "--test-reporter=spec", "--test-reporter-destination=stdout",
            ] + execution.arguments + [execution.target]
        )
        let outcome = try await sandbox.run(step.request(for: attempt, in: sandbox, environment: ["NO_COLOR": "1"]))
        var cases: [CaseResult] = []
        var problem: String? = "node wrote no JUnit report (its junit reporter needs Node 20 or newer)"
        if let data = try await sandbox.readArtifact(reportName) {
            problem = nil
            do { cases = try JUnitParser.cases(from: data, limits: attempt.limits) } catch {
                problem = error.description
            }
        }
        return ToolJudgement.judge(
            outcome,
            tool: "node --test",
            cases: cases,
            reportProblem: problem,
            noTests: "node --test found no tests in \(execution.target)",
            timeout: attempt.scenario.timeout
        )
    }
}

extension Runner where Self == NodeRunner {
    /// Node's built-in test runner, with per-test results from its junit reporter.
    public static var node: NodeRunner { NodeRunner() }
}
