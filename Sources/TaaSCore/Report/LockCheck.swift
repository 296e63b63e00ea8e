/// How a run's law (its scope and locked test files) was checked against the scope's lock before
/// anything ran. Written into the report as `lock_status`, `lock_fingerprint`, `locked_files` and
/// `lock_changes`.
public struct LockCheck: Sendable, Equatable {
    /// The outcome of the check.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Every locked file and the scope are as locked.
        case verified
        /// The scope has no lock.
        case absent
        /// A lock exists but `--no-lock` skipped its check.
        case skipped
        /// Something differs from the lock; nothing ran.
        case mismatch
    }

    public var status: Status
    /// The lock file, when there is one.
    public var lockFile: String?
    /// `sha256:` of the lock's canonical form.
    public var fingerprint: String?
    /// The files of the law as locked.
    public var files: [LockedFile]
    /// What differs from the lock (only for `mismatch`).
    public var changes: [LockChange]
    /// Why the lock could not be checked at all (an unreadable lock, a required lock that is missing).
    public var problem: String?
    /// The lock's test ledger, which the run checks every scenario's cases against (`nil`: no check).
    public var ledger: TestLedger?

    public init(
        status: Status,
        lockFile: String? = nil,
        fingerprint: String? = nil,
        files: [LockedFile] = [],
        changes: [LockChange] = [],
        problem: String? = nil,
        ledger: TestLedger? = nil
    ) {
        self.ledger = ledger
        self.problem = problem
        self.status = status
        self.lockFile = lockFile
        self.fingerprint = fingerprint
        self.files = files
        self.changes = changes
    }

    /// No lock was found beside the scope.
    public static let absent = LockCheck(status: .absent)

    /// What differs, in one line, for messages.
    public var changeSummary: String {
        ([problem].compactMap { $0 } + changes.map(\.description)).joined(separator: "; ")
    }
}

/// A file of the law and its digest, as recorded in a lock.
public struct LockedFile: Sendable, Codable, Equatable, Comparable {
    /// The path relative to the workspace; a section of a configuration file is named
    /// `FILE#SECTION`, such as `pyproject.toml#tool.pytest.ini_options`.
    public var path: String
    /// `sha256:` of the file's bytes (or of the section's lines).
    public var digest: String

    public init(path: String, digest: String) {
        self.path = path
        self.digest = digest
    }

    public static func < (lhs: LockedFile, rhs: LockedFile) -> Bool { lhs.path < rhs.path }
}

/// One difference between the law as locked and as found.
public struct LockChange: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        /// The file's content differs from the lock.
        case changed
        /// A file of the law that the lock does not know (a new test file, a new `conftest.py`).
        case added
        /// A locked file that is gone.
        case missing
    }

    public var path: String
    public var change: Kind
    /// The digest in the lock.
    public var expected: String?
    /// The digest found now.
    public var actual: String?

    public init(path: String, change: Kind, expected: String? = nil, actual: String? = nil) {
        self.path = path
        self.change = change
        self.expected = expected
        self.actual = actual
    }

    public var description: String {
        switch change {
        case .changed: "\(path) changed"
        case .added: "\(path) was added"
        case .missing: "\(path) is missing"
        }
    }
}
