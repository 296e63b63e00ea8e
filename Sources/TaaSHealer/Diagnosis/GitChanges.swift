import Foundation
import TaaSIntegrity

/// The files of a git checkout that differ from its `HEAD` (changed, added, deleted), for
/// `taas diagnose --git`.
enum GitChanges {
    static func since(head workspace: URL, map: WorkspaceMap) async throws(HealerError) -> [ManifestChange] {
        let output: String
        do {
            output = try ProcessRunner.output(
                "/usr/bin/git",
                ["-C", workspace.path, "status", "--porcelain=v1", "--untracked-files=all", "."]
            )
        } catch {
            throw HealerError(.input, "--git: \(error.message) (is \(workspace.path) a git checkout?)")
        }
        return output.split(separator: "\n").compactMap { line -> ManifestChange? in
            guard line.count > 3 else { return nil }
            let status = line.prefix(2)
            var path = String(line.dropFirst(3))
            if let arrow = path.range(of: " -> ") { path = String(path[arrow.upperBound...]) }
            let kind: ManifestChange.Kind =
                status.contains("D") ? .removed : status.contains("?") || status.contains("A") ? .added : .changed
            let relative = map.resolve(path) ?? path
            return ManifestChange(path: relative, change: kind, law: map.isLaw(relative))
        }
    }
}
