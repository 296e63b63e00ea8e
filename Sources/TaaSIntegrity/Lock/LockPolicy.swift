import Foundation
import TaaSCore

/// Which lock a run checks its scope against, and what a missing lock means: the library form of
/// `taas run`'s `--lock FILE`, `--require-lock` and `--no-lock`.
public struct LockPolicy: Sendable, Equatable {
    /// The lock to check; `nil` looks for `SCOPE.lock.json` beside the scope (see ``ScopeLock/url(forScope:)``).
    public var lockFile: URL?
    /// A scope without its lock is a mismatch (always so when ``lockFile`` is named).
    public var requiresLock: Bool
    /// The lock is not checked; a lock that exists is recorded as `skipped`.
    public var skipsCheck: Bool

    public init(lockFile: URL? = nil, requiresLock: Bool = false, skipsCheck: Bool = false) {
        self.lockFile = lockFile
        self.requiresLock = requiresLock
        self.skipsCheck = skipsCheck
    }

    /// The lock beside the scope, when it exists.
    public static let automatic = LockPolicy()
    /// The lock beside the scope, which must exist.
    public static let required = LockPolicy(requiresLock: true)
    /// No check (`--no-lock`).
    public static let skipped = LockPolicy(skipsCheck: true)

    /// Checks `scope`, read from `scopeFile`, and the workspace's law files against the lock this
    /// policy names, before anything runs. Never throws: a lock that is missing when it must exist,
    /// unreadable or different is a `mismatch` with the reason.
    public func check(_ scope: TestScope, scopeFile: URL, workspace: URL) -> LockCheck {
        let lockURL = lockFile ?? ScopeLock.url(forScope: scopeFile)
        let exists = FileManager.default.fileExists(atPath: lockURL.path)
        if skipsCheck {
            return exists ? LockCheck(status: .skipped, lockFile: lockURL.path) : .absent
        }
        guard exists else {
            if lockFile != nil || requiresLock {
                return LockCheck(
                    status: .mismatch,
                    lockFile: lockURL.path,
                    problem:
                        "the lock \(lockURL.path) does not exist; make it with `taas lock \(scope.id == "" ? "SCOPE" : scopeFile.lastPathComponent)`"
                )
            }
            return .absent
        }
        do {
            let locked = try ScopeLock.read(from: lockURL)
            return try LockVerifier.verify(
                scope,
                scopeFile: scopeFile.lastPathComponent,
                workspace: workspace,
                against: locked,
                lockFile: lockURL
            )
        } catch {
            return LockCheck(status: .mismatch, lockFile: lockURL.path, problem: error.message)
        }
    }
}
