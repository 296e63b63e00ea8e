import Foundation

/// Reads a file that a sandbox or a workspace could have planted, as taas (root) on the host,
/// without ever following a link, blocking on a FIFO or reading past a size limit.
///
/// The file is opened relative to a descriptor of its folder, one component at a time, each with
/// `O_NOFOLLOW` (folders also with `O_DIRECTORY`), the file itself with `O_NONBLOCK` as well; the
/// open descriptor is then checked with `fstat`, so what is read is exactly what was checked: a
/// link swapped in between a check and an open, or a FIFO that would block `open` for good, is
/// refused, never followed or waited on. Only the folder given by the caller (a folder of taas's
/// own, such as the run's artifacts folder) is trusted and may be reached through links.
public enum ConfinedFile {
    /// The largest file read unless told otherwise: 64 MiB.
    public static let defaultLimit = 64 << 20

    /// The contents of the regular file `name` in `folder`.
    ///
    /// - Parameters:
    ///   - name: A path relative to `folder` (`a.xml`, `out/layout.json`): no empty, `.` or `..`
    ///     component, and no link anywhere on it.
    ///   - folder: A trusted folder of the host.
    ///   - limit: The most bytes accepted; a larger file is refused, not cut.
    /// - Returns: The contents, or `nil` when there is no such file (nor folder on the way).
    /// - Throws: ``ConfinedFileError`` when `name` is a link, a FIFO, a socket, a device or a
    ///   folder, passes through a link, is larger than `limit` or cannot be read.
    public static func read(
        _ name: String,
        in folder: URL,
        limit: Int = defaultLimit
    ) throws(ConfinedFileError) -> Data? {
        guard let file = try open(name, in: folder, limit: limit) else { return nil }
        defer { close(file.descriptor) }
        return try readAll(file.descriptor, name: name, limit: limit)
    }

    /// A read-only descriptor of the regular file `name` in `folder`, and its status, checked as
    /// ``read(_:in:limit:)`` checks it; the caller closes the descriptor.
    ///
    /// - Returns: `nil` when there is no such file (nor folder on the way).
    /// - Throws: ``ConfinedFileError`` as ``read(_:in:limit:)`` does.
    public static func open(
        _ name: String,
        in folder: URL,
        limit: Int = .max
    ) throws(ConfinedFileError) -> (descriptor: Int32, status: stat)? {
        let components = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !name.isEmpty, !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw ConfinedFileError(
                .badName,
                name: name,
                "\(describe(name)) is not a plain relative name (an empty, absolute, '.' or '..' component); taas reads only names inside its folder"
            )
        }
        var directory = Glibc.open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else {
            if errno == ENOENT { return nil }
            throw ConfinedFileError(
                .unreadable,
                name: name,
                "cannot open the folder \(folder.path): \(String(cString: strerror(errno)))"
            )
        }
        defer { close(directory) }
        for (index, component) in components.dropLast().enumerated() {
            let next = openat(directory, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else {
                let failure = errno
                let walked = components[...index].joined(separator: "/")
                if failure == ENOENT { return nil }
                if failure == ENOTDIR || failure == ELOOP {
                    throw isLink(component, at: directory)
                        ? linkError(walked, name: name)
                        : ConfinedFileError(
                            .notRegularFile,
                            name: name,
                            "\(describe(walked)) is not a folder; taas did not read \(describe(name))"
                        )
                }
                throw ConfinedFileError(
                    .unreadable,
                    name: name,
                    "cannot open \(describe(walked)): \(String(cString: strerror(failure)))"
                )
            }
            close(directory)
            directory = next
        }
        let file = openat(directory, components.last!, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard file >= 0 else {
            let failure = errno
            switch failure {
            case ENOENT: return nil
            case ELOOP: throw linkError(name, name: name)
            case ENXIO: throw notRegular(name, kind: "a socket")
            default:
                throw ConfinedFileError(
                    .unreadable,
                    name: name,
                    "cannot open \(describe(name)): \(String(cString: strerror(failure)))"
                )
            }
        }
        var status = stat()
        guard fstat(file, &status) == 0 else {
            let failure = errno
            close(file)
            throw ConfinedFileError(
                .unreadable,
                name: name,
                "cannot inspect \(describe(name)): \(String(cString: strerror(failure)))"
            )
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(file)
            throw notRegular(name, kind: kind(of: status.st_mode))
        }
        guard Int(status.st_size) <= limit else {
            close(file)
            throw tooLarge(name, size: Int(status.st_size), limit: limit)
        }
        return (file, status)
    }

    /// Reads an open regular file to its end, refusing it once it holds more than `limit` bytes
    /// (a file can grow after it was checked).
    static func readAll(_ descriptor: Int32, name: String, limit: Int) throws(ConfinedFileError) -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            if count < 0 {
                throw ConfinedFileError(
                    .unreadable,
                    name: name,
                    "cannot read \(describe(name)): \(String(cString: strerror(errno)))"
                )
            }
            if count == 0 { return data }
            guard data.count + count <= limit else { throw tooLarge(name, size: data.count + count, limit: limit) }
            data.append(contentsOf: chunk[0..<count])
        }
    }

    private static func isLink(_ component: String, at directory: Int32) -> Bool {
        var status = stat()
        return fstatat(directory, component, &status, AT_SYMLINK_NOFOLLOW) == 0 && status.st_mode & S_IFMT == S_IFLNK
    }

    private static func linkError(_ walked: String, name: String) -> ConfinedFileError {
        ConfinedFileError(
            .link,
            name: name,
            "\(describe(walked)) is a symbolic link; taas never follows a link it did not make (write a regular file instead)"
        )
    }

    private static func notRegular(_ name: String, kind: String) -> ConfinedFileError {
        ConfinedFileError(
            .notRegularFile,
            name: name,
            "\(describe(name)) is \(kind), not a regular file; taas reads only regular files"
        )
    }

    private static func tooLarge(_ name: String, size: Int, limit: Int) -> ConfinedFileError {
        ConfinedFileError(
            .tooLarge,
            name: name,
            "\(describe(name)) has more than \(limit) bytes (\(size) or more); taas reads at most \(limit) bytes of it (write a smaller file)"
        )
    }

    private static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFDIR: "a folder"
        case S_IFLNK: "a symbolic link"
        default: "not a plain file"
        }
    }

    private static func describe(_ name: String) -> String {
        "'\(name.prefix(200))'"
    }
}
