import Crypto
import Foundation
import TaaSCore

/// `sha256:` digests of files and bytes.
public enum FileDigest {
    /// The digest of `data`.
    public static func of(_ data: some DataProtocol) -> String {
        SHA256.hash(data: data).prefixedHex
    }

    /// The digest of a file's bytes, read in chunks; a symbolic link is digested as its target's
    /// path (it is never followed, so a link out of the workspace cannot make the digest read it).
    public static func ofFile(at url: URL) throws(IntegrityError) -> String {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path) {
            return of(Data("symlink:\(target)".utf8))
        }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw IntegrityError("cannot read \(url.path)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            throw IntegrityError("cannot read \(url.path): \(error.localizedDescription)")
        }
        return hasher.finalize().prefixedHex
    }
}
