import Foundation

/// A strict JSON (RFC 8259) reader that reports the line and column of the first syntax error.
///
/// Written here rather than using `JSONSerialization` because that reports only a byte offset,
/// loses member order, and silently keeps the last of duplicate keys; the contract's users need
/// "line 3, column 17: expected ',' or '}'".
public struct JSONParser {
    /// Limits that keep a hostile document from exhausting the stack or memory.
    public struct Limits: Sendable {
        /// The deepest nesting of arrays and objects accepted.
        public var maximumDepth: Int = 64
        /// The largest document accepted, in bytes.
        public var maximumBytes: Int = 16 * 1024 * 1024

        public init() {}
    }

    private let bytes: [UInt8]
    private let limits: Limits
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0
    /// Duplicate keys found while reading, each with the path of the object that holds it.
    public private(set) var duplicateKeys: [(path: JSONPath, key: String, location: SourceLocation)] = []

    /// Reads a whole document.
    /// - Throws: ``JSONSyntaxError`` naming the line and column of the first problem.
    public static func parse(
        _ data: Data,
        limits: Limits = Limits()
    ) throws(JSONSyntaxError) -> (
        value: JSONValue, duplicateKeys: [(path: JSONPath, key: String, location: SourceLocation)]
    ) {
        guard data.count <= limits.maximumBytes else {
            throw JSONSyntaxError(
                message: "the document is \(data.count) bytes; at most \(limits.maximumBytes) are accepted",
                location: SourceLocation(line: 1, column: 1)
            )
        }
        var parser = JSONParser(bytes: Array(data), limits: limits)
        parser.skipWhitespace()
        let value = try parser.parseValue(path: .root)
        parser.skipWhitespace()
        if parser.index < parser.bytes.count {
            throw parser.error("unexpected \(parser.describeCurrent()) after the end of the document")
        }
        return (value, parser.duplicateKeys)
    }

    private init(bytes: [UInt8], limits: Limits) {
        self.bytes = bytes
        self.limits = limits
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            index = 3
            lineStart = 3
        }  // UTF-8 byte order mark
    }

    private var location: SourceLocation {
        // Columns count characters, not bytes: skip UTF-8 continuation bytes.
        let column = bytes[lineStart..<min(index, bytes.count)].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        return SourceLocation(line: line, column: column + 1)
    }

    private func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message: message, location: location)
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of the document" }
        let byte = bytes[index]
        switch byte {
        case 0: return "NUL byte"
        case 0x20...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        default: return String(format: "byte 0x%02X", byte)
        }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    private mutating func parseValue(path: JSONPath) throws(JSONSyntaxError) -> JSONValue {
        guard index < bytes.count else { throw error("unexpected end of the document: expected a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(path: path)
        case UInt8(ascii: "["): return try parseArray(path: path)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default:
            throw error(
                "unexpected \(describeCurrent()): expected a value (object, array, string, number, true, false or null)"
            )
        }
    }

    private mutating func expectLiteral(_ literal: String) throws(JSONSyntaxError) {
        let utf8 = Array(literal.utf8)
        guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            throw error("unexpected \(describeCurrent()): expected a value (did you mean \(literal)?)")
        }
        index += utf8.count
    }

    private mutating func enterContainer() throws(JSONSyntaxError) {
        depth += 1
        if depth > limits.maximumDepth {
            throw error("arrays and objects are nested more than \(limits.maximumDepth) levels deep")
        }
    }

    private mutating func parseObject(path: JSONPath) throws(JSONSyntaxError) -> JSONValue {
        try enterContainer()
        index += 1
        var members: [JSONMember] = []
        var seen = Set<String>()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw error("unexpected \(describeCurrent()): expected a member name in double quotes")
            }
            let keyLocation = location
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("unexpected \(describeCurrent()): expected ':' after the member name \"\(key)\"")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(path: path.appending(key))
            if !seen.insert(key).inserted { duplicateKeys.append((path, key, keyLocation)) }
            members.append(JSONMember(key: key, value: value, location: keyLocation))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of the document: expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return .object(members)
            }
            throw error("unexpected \(describeCurrent()): expected ',' or '}'")
        }
    }

    private mutating func parseArray(path: JSONPath) throws(JSONSyntaxError) -> JSONValue {
        try enterContainer()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(path: path.appending(elements.count)))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of the document: expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return .array(elements)
            }
            throw error("unexpected \(describeCurrent()): expected ',' or ']'")
        }
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var chunkStart = index
        func flush(_ parser: JSONParser, upTo end: Int) throws(JSONSyntaxError) {
            guard chunkStart < end else { return }
            guard let text = String(validating: parser.bytes[chunkStart..<end], as: UTF8.self) else {
                throw JSONSyntaxError(message: "invalid UTF-8 in a string", location: parser.location)
            }
            scalars.append(contentsOf: text.unicodeScalars)
        }
        while true {
            guard index < bytes.count else { throw error("unexpected end of the document inside a string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                try flush(self, upTo: index)
                index += 1
                return String(scalars)
            }
            if byte < 0x20 {
                throw error(
                    byte == 0x0A
                        ? "a string is not closed before the end of the line"
                        : "control character \(byte == 0 ? "NUL" : String(format: "0x%02X", byte)) in a string (escape it)"
                )
            }
            if byte == UInt8(ascii: "\\") {
                try flush(self, upTo: index)
                index += 1
                scalars.append(try parseEscape())
                chunkStart = index
                continue
            }
            index += 1
        }
    }

    private mutating func parseEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        guard index < bytes.count else { throw error("unexpected end of the document inside a string") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try parseHex4()
            if (0xD800...0xDBFF).contains(high) {
                guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                else {
                    throw error("a UTF-16 high surrogate \\u\(String(high, radix: 16)) is not followed by a low one")
                }
                index += 2
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw error("invalid UTF-16 surrogate pair") }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(high) else { throw error("a lone UTF-16 surrogate in a \\u escape") }
            return scalar
        default:
            index -= 1
            throw error("invalid escape '\\\(describeCurrent())' in a string")
        }
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        let isHexDigit: (UInt8) -> Bool = { byte in
            (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
        }
        guard bytes.count - index >= 4, bytes[index..<index + 4].allSatisfy(isHexDigit),
            let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
        else { throw error("a \\u escape needs four hexadecimal digits") }
        index += 4
        return value
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONNumber {
        let start = index
        func digits(_ parser: inout JSONParser) -> Int {
            let from = parser.index
            while parser.index < parser.bytes.count,
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(parser.bytes[parser.index])
            {
                parser.index += 1
            }
            return parser.index - from
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integerDigits = digits(&self)
        guard integerDigits > 0 else { throw error("a number needs digits after '-'") }
        if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") {
            index = integerStart
            throw error("a number may not start with a leading zero")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw error("a number needs digits after the decimal point") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits(&self) > 0 else { throw error("a number needs digits in its exponent") }
        }
        let number = JSONNumber(String(decoding: bytes[start..<index], as: UTF8.self))
        guard number.double.isFinite else {
            index = start
            throw error("the number \(number.text.prefix(40)) is too large")
        }
        return number
    }
}

/// A document that is not well-formed JSON.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in words.
    public var message: String
    /// Where the problem was found.
    public var location: SourceLocation

    public init(message: String, location: SourceLocation) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): \(message)" }
}
