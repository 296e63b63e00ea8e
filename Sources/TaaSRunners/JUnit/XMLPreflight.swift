import Foundation

/// Checks made on an XML document from the sandbox before any XML parser sees it.
///
/// A DOCTYPE can declare entities, and one entity referenced 200,000 times in a 1 MB file costs
/// tens of seconds of CPU to expand; no JUnit writer needs one. So a document with `<!DOCTYPE` or
/// `<!ENTITY` anywhere is refused, and so is one that is not UTF-8 (a UTF-16 byte order mark, NUL
/// bytes, or an `encoding` other than UTF-8 or ASCII in its declaration), where those markers
/// could be spelt in bytes this scan does not see.
enum XMLPreflight {
    /// The message for a document with a DOCTYPE or an entity declaration.
    static let doctypeMessage =
        "the JUnit XML has a DOCTYPE or an entity declaration, which taas refuses (entity expansion can take "
        + "unbounded time and memory on the host); write the report without a DOCTYPE"

    /// Why the document is refused, or `nil` when it may be parsed.
    static func refusal(_ data: Data) -> String? {
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> String? in
            let bytes = buffer.bindMemory(to: UInt8.self)
            if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
                return "the JUnit XML is not UTF-8 (it starts with a UTF-16 byte order mark); write it in UTF-8"
            }
            if bytes.prefix(4).contains(0) {
                return "the JUnit XML is not UTF-8 (it has NUL bytes); write it in UTF-8"
            }
            if let encoding = declaredEncoding(bytes), !["utf-8", "utf8", "us-ascii", "ascii"].contains(encoding) {
                return "the JUnit XML declares the encoding \"\(encoding.prefix(40))\"; taas reads UTF-8 only"
            }
            var index = 0
            let count = bytes.count
            while index + 1 < count {
                if bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "!") {
                    if matches(bytes, at: index + 2, "doctype") || matches(bytes, at: index + 2, "entity") {
                        return doctypeMessage
                    }
                }
                index += 1
            }
            return nil
        }
    }

    /// Whether the bytes at `offset` spell `word` (ASCII, any case).
    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int, _ word: String) -> Bool {
        let letters = Array(word.utf8)
        guard offset + letters.count <= bytes.count else { return false }
        for (position, letter) in letters.enumerated() where bytes[offset + position] | 0x20 != letter {
            return false
        }
        return true
    }

    /// The lowercased `encoding` of the XML declaration at the document's start, if it names one.
    private static func declaredEncoding(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        guard matches(bytes, at: start, "<?xml") else { return nil }
        let end = min(bytes.count, start + 512)
        let head = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        guard let close = head.range(of: "?>") else { return "an unterminated declaration" }
        let declaration = head[..<close.lowerBound]
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return "a malformed encoding" }
        return String(rest.dropFirst().prefix { $0 != quote }).lowercased()
    }
}
