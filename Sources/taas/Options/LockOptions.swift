import ArgumentParser
import Foundation
import TaaSEngine
import TaaSIntegrity

/// `--lock`, `--no-lock` and `--require-lock`, shared by `taas run` and `taas replay`: which lock the
/// scope is checked against before anything runs (docs/integrity.md).
struct LockOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The lock to check (default: SCOPE.lock.json beside the scope, when it exists).",
            valueName: "file"
        )
    )
    var lock: String?

    @Flag(help: "Do not check the scope's lock (recorded in the report as lock_status \"skipped\").")
    var noLock = false

    @Flag(help: "A scope without a lock is an error (for orchestrators that always lock the law).")
    var requireLock = false

    func validate() throws {
        if noLock && (lock != nil || requireLock) {
            throw ValidationError("--no-lock cannot be used with --lock or --require-lock")
        }
    }

    /// The lock policy these options ask for.
    var policy: LockPolicy {
        LockPolicy(
            lockFile: lock.map { URL(fileURLWithPath: $0).standardizedFileURL },
            requiresLock: requireLock,
            skipsCheck: noLock
        )
    }
}
