import Foundation
import Subprocess
import TaaSCore

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// The digest of a workspace's tree for the verdict cache: every file that `.gitignore` does not
/// ignore (read by git itself, so its rules are exactly git's), minus `integrity.ignore`.
///
/// The digest covers each file's path, bytes and executable bit. Git is asked with a throw-away
/// repository, so the workspace need not be a git checkout and its own repository is never touched.
public struct WorkspaceDigest: Sendable {
    public var workspace: URL
    /// `integrity.ignore` patterns and the output folder, when it lies in the workspace.
    public var ignored: [GlobPattern]

    public init(workspace: URL, ignored: [GlobPattern]) {
        self.workspace = workspace.standardizedFileURL
        self.ignored = ignored
    }

    /// The files the digest covers, sorted.
    public func files() async throws(IntegrityError) -> [String] {
        guard let git = Self.gitPath else {
            throw IntegrityError(
                "the verdict cache needs git (to read .gitignore rules); install it: apt-get install git"
            )
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("taas-git-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let environment: Subprocess.Environment = .custom([
            "PATH": "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
            "HOME": "/nonexistent",
        ])
        do {
            let initialise = try await Subprocess.run(
                .path(FilePath(git)),
                arguments: ["init", "--quiet", "--bare", scratch.path],
                environment: environment,
                output: .discarded,
                error: .string(limit: 1 << 16)
            )
            guard initialise.terminationStatus.isSuccess else {
                throw IntegrityError("git init failed: \(initialise.standardError)")
            }
            let listing = try await Subprocess.run(
                .path(FilePath(git)),
                arguments: [
                    "--git-dir=\(scratch.path)", "--work-tree=\(workspace.path)", "ls-files", "--others",
                    "--exclude-standard", "-z",
                ],
                environment: environment,
                workingDirectory: FilePath(workspace.path),
                output: .data(limit: 256 << 20),
                error: .string(limit: 1 << 16)
            )
            guard listing.terminationStatus.isSuccess else {
                throw IntegrityError("git ls-files failed in \(workspace.path): \(listing.standardError)")
            }
            return listing.standardOutput.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                .filter { path in !ignored.contains { $0.matches(path) } }
                .sorted()
        } catch let error as IntegrityError {
            throw error
        } catch {
            throw IntegrityError("cannot list the workspace \(workspace.path) with git: \(error)")
        }
    }

    /// `sha256:` over every covered file's path, executable bit and content digest.
    public func compute() async throws(IntegrityError) -> String {
        var manifest = ""
        for path in try await files() {
            let url = workspace.appendingPathComponent(path)
            let executable = FileManager.default.isExecutableFile(atPath: url.path) ? "x" : "-"
            manifest += "\(path)\u{0}\(executable)\u{0}\(try FileDigest.ofFile(at: url))\n"
        }
        return FileDigest.of(Data(manifest.utf8))
    }

    private static var gitPath: String? {
        ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
