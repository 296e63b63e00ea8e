import Foundation

/// A minimal reader for tar archives, enough to read a file copied out of a container with
/// ``DockerClient/getArchive(_:path:maxBytes:)``.
///
/// It understands ustar and GNU headers, pax extended headers (`x`: their `path` and `size` apply to
/// the next entry; `g`: skipped) and GNU long names (`L`).
public enum TarArchive {
    static let blockSize = 512

    /// The first regular file in a tar archive, skipping directories, links and metadata entries.
    ///
    /// Every size in the archive is checked before it is used: a size that is negative, does not
    /// fit in an `Int`, or runs past the end of the data is an error, never an arithmetic trap.
    ///
    /// - Parameters:
    ///   - data: The archive's bytes.
    ///   - limit: The largest file accepted.
    /// - Returns: The file's path inside the archive and its contents, or nil if the archive holds no
    ///   regular file.
    /// - Throws: ``DockerError`` with ``DockerError/Code/badResponse`` when the archive is malformed
    ///   or truncated, ``DockerError/Code/tooLarge`` when the file has more than `limit` bytes.
    public static func firstFile(
        in data: Data,
        limit: Int = .max
    ) throws(DockerError) -> (name: String, contents: Data)? {
        let bytes = [UInt8](data)
        var offset = 0
        var pendingName: String?
        var pendingSize: Int?
        while offset + blockSize <= bytes.count {
            let header = bytes[offset..<(offset + blockSize)]
            if header.allSatisfy({ $0 == 0 }) { return nil }  // end-of-archive marker
            guard let headerSize = size(of: header) else {
                throw malformed("an entry's size field at offset \(offset) is not a size")
            }
            let typeflag = header[header.startIndex + 156]
            let isMetadata = [UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L")].contains(typeflag)
            let size = isMetadata ? headerSize : pendingSize ?? headerSize
            let start = offset + blockSize
            // `size` is never negative here, and `start` never past the end: no sum can overflow.
            guard size <= bytes.count - start else {
                throw malformed("an entry at offset \(offset) claims \(size) bytes, but the archive ends before them")
            }
            let isFile = [UInt8(ascii: "0"), 0, UInt8(ascii: "7")].contains(typeflag)
            if isFile, size > limit {
                throw DockerError(
                    .tooLarge,
                    "the file in the copied archive has \(size) bytes, more than the limit of \(limit) bytes"
                )
            }
            let body = bytes[start..<(start + size)]
            offset = start + (size + blockSize - 1) / blockSize * blockSize

            switch typeflag {
            case UInt8(ascii: "x"):
                let attributes = paxAttributes(body)
                if let path = attributes["path"] { pendingName = path }
                if let text = attributes["size"] {
                    guard let value = paxSize(text) else {
                        throw malformed("a pax header gives the impossible size '\(text.prefix(40))'")
                    }
                    pendingSize = value
                }
            case UInt8(ascii: "g"):
                break  // global pax settings: nothing this reader needs
            case UInt8(ascii: "L"):
                pendingName = string(body)
            case _ where isFile:
                return (pendingName ?? name(of: header), Data(body))
            default:  // directories, links, devices, FIFOs, global pax headers
                pendingName = nil
                pendingSize = nil
            }
        }
        return nil
    }

    private static func malformed(_ detail: String) -> DockerError {
        DockerError(.badResponse, "the archive the Docker engine sent is malformed: \(detail)")
    }

    /// A pax `size` value: decimal digits only (no sign), that fit in an `Int`.
    static func paxSize(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        return Int(text)
    }

    /// The entry's name: ustar's `prefix` (155 bytes at 345) joined to `name` (100 bytes at 0).
    static func name(of header: ArraySlice<UInt8>) -> String {
        let base = header.startIndex
        let name = string(header[base..<(base + 100)])
        let magic = string(header[(base + 257)..<(base + 262)])
        guard magic == "ustar" else { return name }
        let prefix = string(header[(base + 345)..<(base + 500)])
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    /// The entry's size: octal text in 12 bytes at 124, or GNU's base-256 when the first byte's high
    /// bit is set; `nil` when it is not a size (negative, signed, too large for an `Int`, not octal).
    static func size(of header: ArraySlice<UInt8>) -> Int? {
        let field = header[(header.startIndex + 124)..<(header.startIndex + 136)]
        if let first = field.first, first & 0x80 != 0 {
            guard first & 0x40 == 0 else { return nil }  // a negative base-256 number
            var value = Int(first & 0x3f)
            for byte in field.dropFirst() {
                guard value <= Int.max >> 8 else { return nil }
                value = value << 8 | Int(byte)
            }
            return value
        }
        let text = string(field).trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return 0 }
        guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }) else { return nil }
        return Int(text, radix: 8)
    }

    /// A NUL-terminated text field.
    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }

    /// The records of a pax extended header: `LENGTH KEY=VALUE\n`, where LENGTH counts the whole record.
    static func paxAttributes(_ body: ArraySlice<UInt8>) -> [String: String] {
        var attributes: [String: String] = [:]
        var index = body.startIndex
        while index < body.endIndex {
            // LENGTH is checked against what is left before any index is computed from it.
            guard let space = body[index...].firstIndex(of: UInt8(ascii: " ")),
                let length = Int(String(decoding: body[index..<space], as: UTF8.self)), length > 0,
                length <= body.endIndex - index, space < index + length
            else { break }
            let record = body[(space + 1)..<(index + length)]
            let trimmed = record.last == UInt8(ascii: "\n") ? record.dropLast() : record
            if let equals = trimmed.firstIndex(of: UInt8(ascii: "=")) {
                let key = String(decoding: trimmed[trimmed.startIndex..<equals], as: UTF8.self)
                let value = String(decoding: trimmed[(equals + 1)...], as: UTF8.self)
                attributes[key] = value
            }
            index += length
        }
        return attributes
    }
}
