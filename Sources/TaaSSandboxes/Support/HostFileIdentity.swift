import Foundation

/// A host file as a program that caches by it sees it: the resolved path, size, modification time
/// and inode. An upgraded interpreter or toolchain is another identity.
public enum HostFileIdentity {
    /// `PATH size=N modified=SECONDS.NANOSECONDS inode=N` of the file `path` points to, or `nil`
    /// when it cannot be read.
    public static func describe(_ path: String) -> String? {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var status = stat()
        guard stat(resolved, &status) == 0 else { return nil }
        return
            "\(resolved) size=\(status.st_size) modified=\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec) inode=\(status.st_ino)"
    }
}
