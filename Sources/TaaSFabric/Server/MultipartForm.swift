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
