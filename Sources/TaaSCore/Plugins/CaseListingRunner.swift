/// A runner that can list the test cases of a scenario without running them, for the test ledger
/// that `taas lock` records (see ``TestLedger``).
public protocol CaseListingRunner: Runner {
    /// Whether this runner lists cases at all (when not, ``listCases(_:in:)`` says why).
    var listsCases: Bool { get }

    /// The cases `attempt`'s scenario would run, or, in ``ScenarioLedger/unlisted``, why they could
    /// not be listed. Runs in the scope's own sandbox, before any setup step or service.
    /// - Throws: ``SandboxError`` only when the sandbox itself broke.
    func listCases(
        _ attempt: RunnerAttempt,
        in sandbox: any SandboxInstance
    ) async throws(SandboxError)
        -> ScenarioLedger
}
