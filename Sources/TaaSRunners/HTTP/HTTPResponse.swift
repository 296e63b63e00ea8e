import Foundation

/// An HTTP/1.x answer read from raw bytes: its status, headers and body (by `Content-Length`, chunked
/// transfer coding, or up to the end of the connection). Package-wide: `taas replay` reads its answers with it.
package struct HTTPResponse: Sendable, Equatable {
    package var status: Int
    package var reason: String
    /// Headers in order, names as sent.
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    /// The last value of a header, whatever the case of its name.
    package func header(_ name: String) -> String? {
        headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as text (invalid UTF-8 replaced).
    package var text: String { String(decoding: body, as: UTF8.self) }

    package static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.reason == rhs.reason && lhs.body == rhs.body
            && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// Why bytes are not an HTTP answer.
    package struct ParseError: Error, Equatable, CustomStringConvertible {
        package var description: String
    }

    /// `true` when `bytes` hold a whole answer whose end is known without the connection closing:
    /// its headers and a `Content-Length` body, a chunked body up to its last chunk, or no body at all
    /// (an answer to `HEAD`, a 204 or a 304).
    package static func isComplete(_ bytes: [UInt8], method: String) -> Bool {
        guard let response = try? parse(bytes, method: method) else { return false }
        return response.bodyless(method: method) || response.header("content-length") != nil
            || response.header("transfer-encoding")?.lowercased().contains("chunked") == true
    }

    /// Answers that never have a body, whatever their headers say.
    private func bodyless(method: String) -> Bool {
        method == "HEAD" || status == 204 || status == 304
    }

    /// Reads an answer to a `method` request. 1xx interim answers (`100 Continue`) are skipped.
    package static func parse(_ bytes: [UInt8], method: String = "GET") throws(ParseError) -> HTTPResponse {
        var rest = bytes[...]
        while true {
            guard let headEnd = find([13, 10, 13, 10], in: rest) else {
                if rest.isEmpty { throw ParseError(description: "the server closed the connection without answering") }
                throw ParseError(description: "the answer ends before its headers do (\(rest.count) bytes)")
            }
            let head = String(decoding: rest[rest.startIndex..<headEnd], as: UTF8.self)
            var lines = head.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst()
            let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]),
                (100...999).contains(status)
            else {
                throw ParseError(description: "not an HTTP status line: \"\(statusLine.prefix(100))\"")
            }
            var headers: [(String, String)] = []
            for line in lines where !line.isEmpty {
                guard let colon = line.firstIndex(of: ":") else {
                    throw ParseError(description: "not a header line: \"\(line.prefix(100))\"")
                }
                headers.append(
                    (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                )
            }
            rest = rest[(headEnd + 4)...]
            if (100...199).contains(status) { continue }
            var response = HTTPResponse(
                status: status,
                reason: parts.count > 2 ? String(parts[2]) : "",
                headers: headers,
                body: []
            )
            if response.bodyless(method: method) {
                response.body = []
            } else if response.header("transfer-encoding")?.lowercased().contains("chunked") == true {
                response.body = try dechunk(rest)
            } else if let length = response.header("content-length").flatMap({ Int($0) }) {
                guard rest.count >= length else {
                    throw ParseError(description: "the body has \(rest.count) of its \(length) bytes (Content-Length)")
                }
                response.body = Array(rest.prefix(length))
            } else {
                response.body = Array(rest)
            }
            return response
        }
    }

    private static func dechunk(_ bytes: ArraySlice<UInt8>) throws(ParseError) -> [UInt8] {
        var body: [UInt8] = []
        var rest = bytes
        while true {
            guard let lineEnd = find([13, 10], in: rest) else {
                throw ParseError(description: "a chunked body ends before its last chunk")
            }
            let sizeText =
                String(decoding: rest[rest.startIndex..<lineEnd], as: UTF8.self)
                .split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else {
                throw ParseError(description: "not a chunk size: \"\(sizeText.prefix(20))\"")
            }
            rest = rest[(lineEnd + 2)...]
            if size == 0 { return body }
            guard rest.count >= size else { throw ParseError(description: "a chunk is cut short") }
            body += rest.prefix(size)
            rest = rest.dropFirst(size)
            if rest.starts(with: [13, 10]) { rest = rest.dropFirst(2) }
        }
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
