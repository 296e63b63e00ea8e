import Foundation
import TaaSCore

extension RunOptions {
    /// The run's sandbox: the one given, else the registered one of the chosen kind or of the
    /// scope's `environment.type`; admitted only with consent when it does not isolate.
    /// - Throws: ``SandboxError`` for an unknown kind, or a sandbox that does not isolate without consent.
    public func sandbox(for scope: TestScope) throws(SandboxError) -> any Sandbox {
        if let chosen = sandbox {
            try SandboxRegistry.admit(chosen, allowUnsafe: allowUnsafeLocal)
            return chosen
        }
        return try sandboxes.resolve(
            kind: sandboxKind ?? scope.environment.type.rawValue,
            allowUnsafe: allowUnsafeLocal
        )
    }

    /// What the sandbox needs to start an instance for `scope` (the same for a run and for listing its ledger).
    func sandboxConfiguration(
        for scope: TestScope,
        runID: String,
        logDirectory: URL,
        observer: any RunObserver,
        clock: PhaseClock
    ) -> SandboxConfiguration {
        SandboxConfiguration(
            runID: runID,
            workspace: workspace,
            logDirectory: logDirectory,
            environment: scope.environment.variables,
            dependencies: scope.environment.dependencies,
            image: scope.environment.image,
            excludedPaths: outputInsideWorkspace,
            logLimitBytes: logLimitBytes,
            tailBytes: tailBytes,
            cacheDirectory: cacheDirectory,
            limits: effectiveLimits(for: scope),
            offline: offline,
            observer: observer,
            clock: clock
        )
    }
}
