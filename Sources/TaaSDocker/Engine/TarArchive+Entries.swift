import Foundation

extension TarArchive {
    /// One entry of a tar archive, its metadata headers (pax `x`, GNU `L`/`K`) already applied.
    public struct Entry: Sendable, Equatable {
        /// What an entry is.
        public enum Kind: Sendable, Equatable {
            case file
            case directory
            /// A symbolic link to `target` (as written in the archive).
            case symbolicLink(target: String)
            /// A hard link to another entry's path.
            case hardLink(target: String)
            /// A device, FIFO or unknown type, with its type flag.
            case other(UInt8)
        }

        /// The path inside the archive, as written (it may be absolute or contain `..`: check it).
        public var path: String
        public var kind: Kind
        /// The permission bits.
        public var mode: Int
        /// A file's bytes (empty for other kinds).
        public var contents: Data
    }

    /// Every entry of a tar archive, in order, up to its end-of-archive marker.
    ///
    /// As ``firstFile(in:limit:)``, every size is checked before it is used.
    /// - Parameter maxEntries: the most entries read; one more is an error (``DockerError/Code/tooLarge``).
    /// - Throws: ``DockerError`` with code `badResponse` when the archive is malformed or truncated,
    ///   `tooLarge` past `maxEntries`.
    public static func entries(in data: Data, maxEntries: Int = .max) throws(DockerError) -> [Entry] {
        let bytes = [UInt8](data)
        var entries: [Entry] = []
        var offset = 0
        var pendingName: String?
        var pendingLink: String?
        var pendingSize: Int?
        func malformed(_ detail: String) -> DockerError {
            DockerError(.badResponse, "the tar archive is malformed: \(detail)")
        }
        while offset + blockSize <= bytes.count {
            let header = bytes[offset..<(offset + blockSize)]
            if header.allSatisfy({ $0 == 0 }) { return entries }
            guard let headerSize = size(of: header) else {
                throw malformed("an entry's size field at offset \(offset) is not a size")
            }
            let typeflag = header[header.startIndex + 156]
            let isMetadata = [UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K")]
                .contains(typeflag)
            let size = isMetadata ? headerSize : pendingSize ?? headerSize
            let start = offset + blockSize
            guard size <= bytes.count - start else {
                throw malformed("an entry at offset \(offset) claims \(size) bytes, but the archive ends before them")
            }
            let body = bytes[start..<(start + size)]
            offset = start + (size + blockSize - 1) / blockSize * blockSize
            switch typeflag {
            case UInt8(ascii: "x"):
                let attributes = paxAttributes(body)
                if let path = attributes["path"] { pendingName = path }
                if let link = attributes["linkpath"] { pendingLink = link }
                if let text = attributes["size"] {
                    guard let value = paxSize(text) else {
                        throw malformed("a pax header gives the impossible size '\(text.prefix(40))'")
                    }
                    pendingSize = value
                }
                continue
            case UInt8(ascii: "g"):
                continue
            case UInt8(ascii: "L"):
                pendingName = string(body)
                continue
            case UInt8(ascii: "K"):
                pendingLink = string(body)
                continue
            default:
                break
            }
            guard entries.count < maxEntries else {
                throw DockerError(.tooLarge, "the tar archive has more than \(maxEntries) entries")
            }
            let path = pendingName ?? name(of: header)
            let link = pendingLink ?? string(header[(header.startIndex + 157)..<(header.startIndex + 257)])
            let modeText = string(header[(header.startIndex + 100)..<(header.startIndex + 108)])
                .trimmingCharacters(in: .whitespaces)
            let mode = Int(modeText, radix: 8) ?? 0o644
            let kind: Entry.Kind
            switch typeflag {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): kind = .file
            case UInt8(ascii: "5"): kind = .directory
            case UInt8(ascii: "2"): kind = .symbolicLink(target: link)
            case UInt8(ascii: "1"): kind = .hardLink(target: link)
            default: kind = .other(typeflag)
            }
            entries.append(Entry(path: path, kind: kind, mode: mode, contents: kind == .file ? Data(body) : Data()))
            pendingName = nil
            pendingLink = nil
            pendingSize = nil
        }
        return entries
    }
}
