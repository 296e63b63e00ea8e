import Foundation
import TaaSCore
import TaaSIntegrity

/// A run as a caller asks for it: the scope file, how to run it, which lock to check it against,
/// and the key to sign its report with. ``Judge/run(_:_:observer:interruption:)`` carries it out.
public struct RunRequest: Sendable {
    /// The scope's file: its lock is looked up beside it.
    public var scopeFile: URL
    /// How to run (workspace, output folder, sandbox, runners, limits, cache).
    public var options: RunOptions
    /// Which lock to check before anything runs.
    public var lock: LockPolicy
    /// The Ed25519 private key (from `taas keygen`) that signs `report.json`; `nil` leaves it unsigned.
    public var signingKey: URL?

    /// A request for the scope in `scopeFile`, run in `workspace` (default: the scope file's folder),
    /// writing to `outputDirectory`.
    public init(
        scopeFile: URL,
        workspace: URL? = nil,
        outputDirectory: URL,
        lock: LockPolicy = .automatic,
        signingKey: URL? = nil
    ) {
        let scopeFile = scopeFile.standardizedFileURL
        self.scopeFile = scopeFile
        self.options = RunOptions(
            workspace: workspace?.standardizedFileURL ?? scopeFile.deletingLastPathComponent(),
            outputDirectory: outputDirectory.standardizedFileURL
        )
        self.lock = lock
        self.signingKey = signingKey
    }
}

/// What a ``RunRequest`` came to: the report, and the id of the key that signed it.
public struct RunOutcome: Sendable {
    public var report: TaaSReport
    /// The id of the key `report.json` was signed with, when it was signed.
    public var signedBy: String?
    /// Where `report.json` was written.
    public var reportFile: URL
}

/// A run that could not be carried out as asked, before it ran (a workspace that is not a folder,
/// an unreadable key) or after (a report that could not be signed). A failing test is never one.
public struct RunRequestError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The workspace does not exist or is not a folder.
        public static let workspace = Code("workspace")
        /// The signing key cannot be read.
        public static let signingKey = Code("signing-key")
        /// The report was written but could not be signed.
        public static let signing = Code("signing")
        /// `--rerun-failed` found no earlier report to take the failures from.
        public static let rerun = Code("rerun")
    }

    public var code: Code
    /// What went wrong and how to fix it.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
