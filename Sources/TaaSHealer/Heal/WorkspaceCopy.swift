import Foundation
import TaaSIntegrity

/// The workspace copy a fixer works in, and the unified diff of what it changed.
enum WorkspaceCopy {
    /// Files that are never part of a fix's diff: caches that running Python leaves behind.
    static let noise = ["__pycache__", ".pytest_cache", "*.pyc", HealRequest.fileName]

    /// Copies `workspace` to `copy` (which must not exist), skipping `.git`.
    static func make(of workspace: URL, at copy: URL) throws(HealerError) {
        do {
            try FileManager.default.createDirectory(
                at: copy.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try FileManager.default.copyItem(at: workspace, to: copy)
            try? FileManager.default.removeItem(at: copy.appendingPathComponent(".git"))
        } catch {
            throw HealerError(
                .workspace,
                "cannot copy the workspace \(workspace.path) to \(copy.path): \(error.localizedDescription)"
            )
        }
    }

    /// `diff -ruN` of `original` against `copy`, with `a/` and `b/` paths.
    static func diff(_ original: URL, _ copy: URL) -> String {
        let arguments =
            ["-ruN"] + noise.flatMap { ["--exclude", $0] } + ["--exclude", ".git", original.path, copy.path]
        guard let text = try? ProcessRunner.output("/usr/bin/diff", arguments) else { return "" }
        return text.replacingOccurrences(of: original.path + "/", with: "a/")
            .replacingOccurrences(of: copy.path + "/", with: "b/")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("diff -ruN") }
            .joined(separator: "\n")
    }

    /// The files that differ between the two folders (added, changed, removed), by relative path.
    static func changedFiles(_ original: URL, _ copy: URL) throws(HealerError) -> [String] {
        func digests(_ root: URL) throws(HealerError) -> [String: String] {
            var result: [String: String] = [:]
            do {
                for path in try WorkspaceWalker(root: root).files()
                where !path.hasSuffix(".pyc") && !path.hasPrefix(".pytest_cache/") && path != HealRequest.fileName {
                    result[path] = try FileDigest.ofFile(at: root.appendingPathComponent(path))
                }
            } catch { throw HealerError(.workspace, error.message) }
            return result
        }
        let before = try digests(original)
        let after = try digests(copy)
        return Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
    }

    /// Copies the changed `paths` from `copy` into `workspace` (removing those the copy no longer has).
    static func apply(_ paths: [String], from copy: URL, to workspace: URL) throws(HealerError) {
        for path in paths {
            let source = copy.appendingPathComponent(path)
            let target = workspace.appendingPathComponent(path)
            do {
                if FileManager.default.fileExists(atPath: source.path) {
                    try FileManager.default.createDirectory(
                        at: target.deletingLastPathComponent(),
                        withIntermediateDirectories: true
                    )
                    let data = try Data(contentsOf: source)
                    try data.write(to: target, options: .atomic)
                } else {
                    try? FileManager.default.removeItem(at: target)
                }
            } catch {
                throw HealerError(
                    .workspace,
                    "cannot apply \(path) to \(workspace.path): \(error.localizedDescription)"
                )
            }
        }
    }
}
