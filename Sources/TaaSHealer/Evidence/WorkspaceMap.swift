import Foundation
import TaaSIntegrity

/// The workspace's files as a trace's paths are matched against them: a sandbox path such as
/// `/workspace/calc/core.py` or a path relative to the tool's folder maps to `calc/core.py` by
/// its longest matching tail.
public struct WorkspaceMap: Sendable {
    /// Workspace-relative paths, and whether each is law.
    public var files: [String: Bool]

    public init(files: [String: Bool]) {
        self.files = files
    }

    public init(manifest: WorkspaceManifest) {
        files = Dictionary(manifest.files.map { ($0.path, $0.law) }, uniquingKeysWith: { first, _ in first })
    }

    /// The workspace path of `raw`, `nil` when no workspace file ends with it (the standard
    /// library, site-packages).
    public func resolve(_ raw: String) -> String? {
        if raw.contains("/site-packages/") || raw.contains("/dist-packages/") || raw.hasPrefix("/usr/lib/") {
            return nil
        }
        var parts = raw.split(separator: "/").map(String.init).filter { $0 != "." }
        while !parts.isEmpty {
            let candidate = parts.joined(separator: "/")
            if files[candidate] != nil { return candidate }
            parts.removeFirst()
        }
        return nil
    }

    public func isLaw(_ path: String) -> Bool { files[path] == true }

    /// Whether `module` (dotted) is a module or package of the workspace.
    public func hasModule(_ module: String) -> Bool {
        let base = module.replacingOccurrences(of: ".", with: "/")
        return files.keys.contains {
            $0 == base + ".py" || $0.hasPrefix(base + "/") || $0.hasSuffix("/" + base + ".py")
        }
    }
}
