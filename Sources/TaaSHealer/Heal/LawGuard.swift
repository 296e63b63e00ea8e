import Foundation
import TaaSCore
import TaaSIntegrity

/// The law guard: the digests of everything that makes up the law — the scope file, its lock,
/// and every file and section the lock would record ([LawFiles]) — taken before and after the
/// fixer. A fix may change code only.
struct LawGuard {
    /// Path → digest of the law in `workspace`.
    static func snapshot(scope: TestScope, scopeFile: String, workspace: URL) throws(HealerError) -> [String: String] {
        var digests: [String: String] = [:]
        do {
            for file in try LawFiles(scope: scope, workspace: workspace).collect() { digests[file.path] = file.digest }
        } catch { throw HealerError(.workspace, error.message) }
        let lock = (scopeFile.hasSuffix(".json") ? String(scopeFile.dropLast(5)) : scopeFile) + ".lock.json"
        for path in [scopeFile, lock] {
            let url = workspace.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: url.path) {
                digests[path] = (try? FileDigest.ofFile(at: url)) ?? "unreadable"
            }
        }
        return digests
    }

    /// The paths whose digest differs, that appeared, or that are gone.
    static func changes(from before: [String: String], to after: [String: String]) -> [String] {
        Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
    }
}
