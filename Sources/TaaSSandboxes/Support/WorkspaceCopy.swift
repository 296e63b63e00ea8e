import Foundation
import TaaSCore

/// Copies the user's workspace into the sandbox's own folder, so that nothing a scope runs can
/// change the user's files.
public enum WorkspaceCopy {
    /// Names never copied: version-control data, build folders and caches that belong to the host.
    static let defaultExclusions: Set<String> = [
        ".git", ".hg", ".svn", ".build", "__pycache__", ".pytest_cache", ".mypy_cache", ".tox",
    ]

    /// Copies `source` into `destination` (which must not exist, or be an empty folder), skipping `excludedPaths` (relative
    /// to `source`) and the default exclusions. Symbolic links are copied as links, never followed;
    /// sockets, pipes and devices are skipped. When `owner` is given, everything is handed to that user.
    public static func copy(
        from source: URL,
        to destination: URL,
        excludedPaths: [String],
        owner: (uid: uid_t, gid: gid_t)?
    ) throws(SandboxError) {
        let excluded = Set(excludedPaths.map { $0.split(separator: "/").joined(separator: "/") })
        do {
            try copyDirectory(source.path, destination.path, relative: "", excluded: excluded, owner: owner)
        } catch let error as SandboxError {
            throw error
        } catch {
            throw SandboxError(.workspaceFailed, "cannot copy the workspace \(source.path) into the sandbox: \(error)")
        }
    }

    private static func copyDirectory(
        _ source: String,
        _ destination: String,
        relative: String,
        excluded: Set<String>,
        owner: (uid: uid_t, gid: gid_t)?
    ) throws {
        guard mkdir(destination, 0o755) == 0 || (relative.isEmpty && errno == EEXIST && isEmptyFolder(destination))
        else {
            throw SandboxError(.workspaceFailed, "cannot create \(destination): \(String(cString: strerror(errno)))")
        }
        if let owner { lchown(destination, owner.uid, owner.gid) }
        for name in try FileManager.default.contentsOfDirectory(atPath: source).sorted() {
            let childRelative = relative.isEmpty ? name : "\(relative)/\(name)"
            if defaultExclusions.contains(name) || excluded.contains(childRelative) { continue }
            let from = "\(source)/\(name)"
            let to = "\(destination)/\(name)"
            var info = stat()
            guard lstat(from, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try copyDirectory(from, to, relative: childRelative, excluded: excluded, owner: owner)
            case S_IFREG:
                try copyFile(name, in: source, to: to, mode: info.st_mode & 0o7777)
                if let owner { lchown(to, owner.uid, owner.gid) }
            case S_IFLNK:
                let target = try FileManager.default.destinationOfSymbolicLink(atPath: from)
                guard symlink(target, to) == 0 else {
                    throw SandboxError(
                        .workspaceFailed,
                        "cannot copy the link \(from): \(String(cString: strerror(errno)))"
                    )
                }
                if let owner { lchown(to, owner.uid, owner.gid) }
            default:
                continue  // sockets, pipes, devices: nothing a test needs, and reading a pipe could hang
            }
        }
    }

    private static func isEmptyFolder(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return false }
        return (try? FileManager.default.contentsOfDirectory(atPath: path).isEmpty) == true
    }

    /// Copies the regular file `name` of the folder `folder`, opened through ``ConfinedFile``: a file
    /// swapped for a link or a FIFO after the folder was listed is skipped, never followed or
    /// waited on.
    private static func copyFile(_ name: String, in folder: String, to: String, mode: mode_t) throws {
        let from = "\(folder)/\(name)"
        let opened: (descriptor: Int32, status: stat)?
        do throws(ConfinedFileError) {
            opened = try ConfinedFile.open(name, in: URL(fileURLWithPath: folder))
        } catch let error where error.code == .link || error.code == .notRegularFile {
            return
        } catch {
            throw SandboxError(.workspaceFailed, "cannot read \(from): \(error.message)")
        }
        guard let input = opened?.descriptor else { return }  // removed since the folder was listed
        defer { close(input) }
        let output = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode | 0o200)
        guard output >= 0 else {
            throw SandboxError(.workspaceFailed, "cannot write \(to): \(String(cString: strerror(errno)))")
        }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 128 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw SandboxError(.workspaceFailed, "cannot read \(from): \(String(cString: strerror(errno)))")
            }
            guard
                buffer.withUnsafeBytes({
                    DescriptorWriting.writeAll(output, UnsafeRawBufferPointer(rebasing: $0[..<count]))
                })
            else {
                throw SandboxError(.workspaceFailed, "cannot write \(to): \(String(cString: strerror(errno)))")
            }
        }
        fchmod(output, mode)
    }
}
