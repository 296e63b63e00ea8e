import Foundation

/// Lists the files of a workspace as paths relative to it, sorted.
///
/// Folders that never hold a project's own files are skipped: `.git`, `__pycache__`,
/// `node_modules`, and virtualenvs (a folder with a `pyvenv.cfg`). Symbolic links are listed
/// but never followed.
public struct WorkspaceWalker: Sendable {
    public static let skippedFolders: Set<String> = [".git", "__pycache__", "node_modules"]

    public var root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// Every regular file and symbolic link below the root.
    public func files() throws(IntegrityError) -> [String] {
        var result: [String] = []
        try walk(relative: "", into: &result)
        return result.sorted()
    }

    private func walk(relative: String, into result: inout [String]) throws(IntegrityError) {
        let folder = relative.isEmpty ? root : root.appendingPathComponent(relative)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw IntegrityError("cannot list \(folder.path): \(error.localizedDescription)")
        }
        if !relative.isEmpty, names.contains("pyvenv.cfg") { return }
        for name in names.sorted() {
            let path = relative.isEmpty ? name : relative + "/" + name
            var status = stat()
            guard lstat(root.appendingPathComponent(path).path, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                if !Self.skippedFolders.contains(name) { try walk(relative: path, into: &result) }
            case S_IFREG, S_IFLNK:
                result.append(path)
            default:
                continue
            }
        }
    }
}
