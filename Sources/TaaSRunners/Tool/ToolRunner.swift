import Foundation
import TaaSCore

/// The runner of every test tool described by a ``ToolDescription`` (pytest, unittest, go, cargo,
/// node, swift, junit): run the tool's step, read its results, judge with ``ToolJudgement``.
public struct ToolRunner: Runner {
    /// The tool's row of the table.
    public var tool: ToolDescription

    public init(_ tool: ToolDescription) {
        self.tool = tool
    }

    public var name: String { tool.name }

    public func run(
        _ attempt: RunnerAttempt,
        in sandbox: any SandboxInstance
    ) async throws(SandboxError) -> RunnerResult {
        guard let execution = attempt.execution else {
            return .noExecution
        }
        let files = ToolFiles(
            label: attempt.label,
            artifactsPath: sandbox.artifactsPath,
            workspacePath: sandbox.workspacePath
        )
        let step: ToolStep
        switch tool.step(execution, files) {
        case .success(let made): step = made
        case .failure(let misuse):
            return RunnerResult(
                verdict: .error,
                outcome: StepOutcome(exitCode: nil, duration: .zero),
                message: misuse.message
            )
        }
        let outcome = try await sandbox.run(step.request(for: attempt, in: sandbox, environment: tool.environment))
        let (cases, problem) = try await read(files, execution: execution, limits: attempt.limits, in: sandbox)
        return ToolJudgement.judge(
            ToolRun(outcome: outcome, cases: cases, problem: problem, execution: execution),
            tool: tool.tool,
            program: tool.program,
            noTests: tool.noTests(execution),
            timeout: attempt.scenario.timeout,
            ownRules: tool.ownRules
        )
    }

    /// The cases of one attempt, and why they could not (all) be read.
    private func read(
        _ files: ToolFiles,
        execution: Execution,
        limits: CaseLimits,
        in sandbox: any SandboxInstance
    ) async throws(SandboxError) -> (cases: [CaseResult], problem: String?) {
        switch tool.results {
        case .output(let file, let parse):
            return parse(try await sandbox.readArtifact(files.name(file)) ?? Data(), limits)
        case .junit(let reports, let missing, let output, let annotate, let problemPrefix):
            var cases: [CaseResult] = []
            var problems: [String] = []
            var found = false
            for report in reports {
                guard let data = try await sandbox.readArtifact(files.name(report)) else { continue }
                found = true
                do { cases += try JUnitParser.cases(from: data, limits: limits) } catch {
                    problems.append((problemPrefix.map { "\($0(execution)): " } ?? "") + error.description)
                }
            }
            if !found { problems.append(missing(execution)) }
            if let output, let annotate {
                let text = String(decoding: try await sandbox.readArtifact(files.name(output)) ?? Data(), as: UTF8.self)
                cases = annotate(cases, text)
            }
            return (cases, problems.isEmpty ? nil : problems.joined(separator: "; "))
        }
    }
}
