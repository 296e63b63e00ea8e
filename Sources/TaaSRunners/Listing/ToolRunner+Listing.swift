import Foundation
import TaaSCore

extension ToolRunner: CaseListingRunner {
    public var listsCases: Bool { tool.listing != nil }

    public func listCases(
        _ attempt: RunnerAttempt,
        in sandbox: any SandboxInstance
    ) async throws(SandboxError) -> ScenarioLedger {
        guard let listing = tool.listing else {
            return ScenarioLedger(runner: name, unlisted: "taas cannot list the cases of the \(name) runner yet")
        }
        guard let execution = attempt.execution else {
            return ScenarioLedger(runner: name, unlisted: "the scenario has no execution to list")
        }
        let files = ToolFiles(
            label: attempt.label,
            artifactsPath: sandbox.artifactsPath,
            workspacePath: sandbox.workspacePath
        )
        var outputs: [ToolListing.Output] = []
        for listingStep in listing.steps(execution, files) {
            let request = listingStep.step.request(for: attempt, in: sandbox, environment: tool.environment)
            let outcome = try await sandbox.run(request)
            outputs.append(
                ToolListing.Output(outcome: outcome, data: try await sandbox.readArtifact(listingStep.artifact))
            )
        }
        switch listing.read(execution, outputs) {
        case .success(let cases): return ScenarioLedger(runner: name, cases: cases)
        case .failure(let failure): return ScenarioLedger(runner: name, unlisted: failure.message)
        }
    }
}
