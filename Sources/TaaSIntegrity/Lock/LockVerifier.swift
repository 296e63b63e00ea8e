import Foundation
import TaaSCore

/// Checks a scope and its workspace against the scope's lock.
public enum LockVerifier {
    /// Compares the law as it is now with `lock`.
    /// - Returns: `verified`, or `mismatch` with every changed, added and missing file (a changed
    ///   scope is reported as the scope file having changed).
    public static func verify(
        _ scope: TestScope,
        scopeFile: String,
        workspace: URL,
        against lock: ScopeLock,
        lockFile: URL
    ) throws(IntegrityError) -> LockCheck {
        var changes: [LockChange] = []
        if scope.fingerprint != lock.scopeFingerprint {
            changes.append(
                LockChange(
                    path: scopeFile,
                    change: .changed,
                    expected: lock.scopeFingerprint,
                    actual: scope.fingerprint
                )
            )
        }
        // The lock's own patterns decide which files belong to the law: a scope that dropped a
        // pattern is already a changed scope, and must not hide the files it used to lock.
        var lockedScope = scope
        lockedScope.integrity.locked = Array(Set(scope.integrity.locked + lock.lockedPatterns)).sorted()
        let found = try LawFiles(scope: lockedScope, workspace: workspace).collect()
        let expected = Dictionary(lock.files.map { ($0.path, $0.digest) }, uniquingKeysWith: { first, _ in first })
        let actual = Dictionary(found.map { ($0.path, $0.digest) }, uniquingKeysWith: { first, _ in first })
        for (path, digest) in expected.sorted(by: { $0.key < $1.key }) {
            if let now = actual[path] {
                if now != digest {
                    changes.append(LockChange(path: path, change: .changed, expected: digest, actual: now))
                }
            } else {
                changes.append(LockChange(path: path, change: .missing, expected: digest))
            }
        }
        for (path, digest) in actual.sorted(by: { $0.key < $1.key }) where expected[path] == nil {
            changes.append(LockChange(path: path, change: .added, actual: digest))
        }
        let outdated = lock.lockVersion < ScopeLock.currentVersion && !changes.isEmpty
        return LockCheck(
            status: changes.isEmpty ? .verified : .mismatch,
            lockFile: lockFile.path,
            fingerprint: lock.fingerprint,
            files: lock.files,
            changes: changes,
            problem: outdated
                ? "the lock has lock_version \(lock.lockVersion), made before taas read pytest's configuration with real parsers; if the law is as intended, run `taas lock` again"
                : nil,
            ledger: lock.ledger
        )
    }
}
