import CompressNIO
import Crypto
import Foundation
import NIOCore
import TaaSDocker

/// Unpacks an uploaded workspace (a `.tar.gz`) into a run's folder, refusing anything that could
/// write or point outside it: absolute paths, `..`, links whose target leaves the folder, hard links,
/// devices, and archives past the limits (size, entries, expansion ratio).
public struct WorkspaceArchive: Sendable {
    /// The limits an upload must stay within.
    public struct Limits: Sendable, Equatable {
        /// The most bytes the archive may expand to.
        public var maxExpandedBytes: Int
        /// The most entries (files, folders, links).
        public var maxEntries: Int
        /// The most the archive may expand by (expanded / compressed), beyond the first MiB.
        public var maxExpansionRatio: Int

        public init(maxExpandedBytes: Int = 512 << 20, maxEntries: Int = 20_000, maxExpansionRatio: Int = 100) {
            self.maxExpandedBytes = maxExpandedBytes
            self.maxEntries = maxEntries
            self.maxExpansionRatio = maxExpansionRatio
        }
    }

    /// Why an archive was refused; `tooLarge` answers 413, the others 400.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public var tooLarge: Bool
        public var message: String
        public var description: String { message }
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Unpacks `archive` (gzip-compressed tar) into `folder` (created), and returns the SHA-256 of the
    /// tar (the workspace's digest). On any refusal the folder is removed again.
    public func extract(_ archive: Data, into folder: URL) throws(Refusal) -> String {
        let tar = try gunzip(archive)
        let entries: [TarArchive.Entry]
        do {
            entries = try TarArchive.entries(in: tar, maxEntries: limits.maxEntries)
        } catch {
            throw Refusal(tooLarge: error.code == .tooLarge, message: "workspace: \(error.message)")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try write(entries, into: folder.standardizedFileURL.resolvingSymlinksInPath())
        } catch let refusal as Refusal {
            try? FileManager.default.removeItem(at: folder)
            throw refusal
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw Refusal(tooLarge: false, message: "workspace: cannot unpack the archive: \(error)")
        }
        return SHA256.hash(data: tar).map { String(format: "%02x", $0) }.joined()
    }

    /// The tar inside the gzip stream, refused past the size and ratio limits.
    private func gunzip(_ archive: Data) throws(Refusal) -> Data {
        guard archive.count >= 18, archive[archive.startIndex] == 0x1f, archive[archive.startIndex + 1] == 0x8b else {
            throw Refusal(tooLarge: false, message: "workspace: not a gzip-compressed tar archive (.tar.gz expected)")
        }
        let byRatio = archive.count.multipliedReportingOverflow(by: limits.maxExpansionRatio)
        let limit = min(limits.maxExpandedBytes, byRatio.overflow ? .max : max(byRatio.partialValue, 1 << 20))
        var buffer = ByteBuffer(bytes: archive)
        do {
            var expanded = try buffer.decompress(with: .gzip(), maxSize: limit)
            return Data(expanded.readBytes(length: expanded.readableBytes) ?? [])
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw Refusal(
                tooLarge: true,
                message:
                    "workspace: the archive expands past \(limit) bytes (limits: \(limits.maxExpandedBytes) bytes, \(limits.maxExpansionRatio)x its compressed size); send a smaller workspace"
            )
        } catch {
            throw Refusal(tooLarge: false, message: "workspace: not a valid gzip stream (\(error))")
        }
    }

    /// A path inside the archive made safe: relative, no `..`, no empty name; `nil` for the root itself.
    static func safeComponents(_ path: String) throws(Refusal) -> [String]? {
        guard !path.hasPrefix("/") else {
            throw Refusal(tooLarge: false, message: "workspace: the entry '\(path)' has an absolute path")
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            .filter { $0 != "." }
        if components.contains("..") {
            throw Refusal(tooLarge: false, message: "workspace: the entry '\(path)' leaves the workspace with '..'")
        }
        return components.isEmpty ? nil : components
    }

    /// Whether a link at `components` with target `target` stays inside the root, read lexically.
    static func linkStaysInside(at components: [String], target: String) -> Bool {
        guard !target.hasPrefix("/"), !target.isEmpty else { return false }
        var resolved = Array(components.dropLast())
        for part in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !resolved.isEmpty else { return false }
                resolved.removeLast()
            default: resolved.append(String(part))
            }
        }
        return true
    }

    private func write(_ entries: [TarArchive.Entry], into root: URL) throws {
        let manager = FileManager.default
        var links: [URL] = []
        for entry in entries {
            guard let components = try Self.safeComponents(entry.path) else { continue }
            let parent = try directory(for: components.dropLast(), in: root)
            let target = parent.appendingPathComponent(components.last!)
            switch entry.kind {
            case .directory:
                _ = try directory(for: components[...], in: root)
            case .file:
                try removeNonDirectory(at: target)
                guard manager.createFile(atPath: target.path, contents: entry.contents) else {
                    throw Refusal(tooLarge: false, message: "workspace: cannot write '\(entry.path)'")
                }
                let mode = entry.mode & 0o111 != 0 ? 0o755 : 0o644
                try manager.setAttributes([.posixPermissions: mode], ofItemAtPath: target.path)
            case .symbolicLink(let destination):
                guard Self.linkStaysInside(at: components, target: destination) else {
                    throw Refusal(
                        tooLarge: false,
                        message: "workspace: the link '\(entry.path)' points outside the workspace ('\(destination)')"
                    )
                }
                try removeNonDirectory(at: target)
                try manager.createSymbolicLink(atPath: target.path, withDestinationPath: destination)
                links.append(target)
            case .hardLink:
                throw Refusal(
                    tooLarge: false,
                    message: "workspace: the entry '\(entry.path)' is a hard link; archive the file itself"
                )
            case .other(let flag):
                throw Refusal(
                    tooLarge: false,
                    message:
                        "workspace: the entry '\(entry.path)' is neither a file, a folder nor a link (tar type '\(Character(UnicodeScalar(flag)))')"
                )
            }
        }
        // Links read lexically can still leave through other links: check where each really goes.
        let rootPath = root.path
        for link in links {
            guard let real = realpath(link.path, nil) else { continue }  // dangling: points at nothing
            let resolved = String(cString: real)
            free(real)
            guard resolved == rootPath || resolved.hasPrefix(rootPath + "/") else {
                throw Refusal(
                    tooLarge: false,
                    message:
                        "workspace: the link '\(link.path.dropFirst(rootPath.count + 1))' leads outside the workspace"
                )
            }
        }
    }

    /// The folder at `components` under `root`, created as needed; refused when a part is a link or a file
    /// (nothing is ever written through a link).
    private func directory(for components: ArraySlice<String>, in root: URL) throws -> URL {
        var url = root
        for component in components {
            url.appendPathComponent(component)
            if let type = RunFolder.type(of: url) {
                guard type == .typeDirectory else {
                    throw Refusal(
                        tooLarge: false,
                        message: "workspace: '\(components.joined(separator: "/"))' passes through a link or a file"
                    )
                }
            } else {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            }
        }
        return url
    }

    /// Removes a file or link at `url` (an entry written twice); a folder there is refused.
    private func removeNonDirectory(at url: URL) throws {
        guard let type = RunFolder.type(of: url) else { return }
        guard type != .typeDirectory else {
            throw Refusal(tooLarge: false, message: "workspace: '\(url.lastPathComponent)' is both a folder and a file")
        }
        try FileManager.default.removeItem(at: url)
    }
}
