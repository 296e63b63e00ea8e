import Foundation
import HTTPTypes
import MultipartKit
import NIOCore

/// The fields of a `multipart/form-data` body, by name (parsed with MultipartKit's parser).
struct MultipartForm {
    private(set) var fields: [String: Data] = [:]

    /// Parses `body` with the boundary of `contentType`.
    /// - Throws: ``APIError`` 400 when it is not multipart/form-data or is malformed.
    init(contentType: String?, body: ByteBuffer) throws(APIError) {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.parameter("boundary", in: contentType)
        else {
            throw APIError(.badRequest, "expected a multipart/form-data body with a boundary (curl -F)")
        }
        guard Self.headerNamesAreASCII(Array(body.readableBytesView), boundary: Array(boundary.utf8)) else {
            throw APIError(.badRequest, "the multipart/form-data body is malformed: a part's header name is not ASCII")
        }
        let parser = MultipartParser(boundary: boundary)
        var name: String?
        var current = Data()
        var fields: [String: Data] = [:]
        parser.onHeader = { header, value in
            if header.lowercased() == "content-disposition" { name = Self.parameter("name", in: value) }
        }
        parser.onBody = { buffer in
            current.append(contentsOf: buffer.readableBytesView)
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        }
        parser.onPartComplete = {
            if let name { fields[name] = current }
            name = nil
            current = Data()
        }
        do { try parser.execute(body) } catch {
            throw APIError(.badRequest, "the multipart/form-data body is malformed: \(error)")
        }
        self.fields = fields
    }

    /// Whether every byte where a part's header name may stand is ASCII. MultipartKit 4.7's parser
    /// looks a header name's bytes up in a 128-entry table and traps on any other byte (found by
    /// schemathesis: one request ended the server), so such a body is refused before it is parsed.
    /// The check covers more than the parser reads as names: from each `--boundary` to the end of
    /// its header block (an empty line), every byte before a line's `:`.
    static func headerNamesAreASCII(_ body: [UInt8], boundary: [UInt8]) -> Bool {
        let delimiter = Array("--".utf8) + boundary
        var index = 0
        while let found = Self.find(delimiter, in: body, from: index) {
            var position = found + delimiter.count
            var firstLine = true  // the rest of the delimiter's own line
            var inName = true
            var lineLength = 0
            scan: while position < body.count {
                let byte = body[position]
                switch byte {
                case UInt8(ascii: "\n"):
                    if lineLength == 0 && !firstLine { break scan }  // the empty line ends the headers
                    firstLine = false
                    lineLength = 0
                    inName = true
                case UInt8(ascii: "\r"):
                    inName = true
                default:
                    if inName && byte >= 0x80 { return false }
                    if byte == UInt8(ascii: ":") { inName = false }
                    lineLength += 1
                }
                position += 1
            }
            index = found + delimiter.count
        }
        return true
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        var index = start
        while index <= haystack.count - needle.count {
            if haystack[index] == needle[0] && haystack[index..<index + needle.count].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }

    subscript(_ name: String) -> Data? { fields[name] }

    /// A field as text.
    func text(_ name: String) -> String? { fields[name].map { String(decoding: $0, as: UTF8.self) } }

    /// A `key=value` parameter of a header value (`form-data; name="scope"`).
    static func parameter(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix(key + "=") else { continue }
            var value = String(trimmed.dropFirst(key.count + 1))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }
}
