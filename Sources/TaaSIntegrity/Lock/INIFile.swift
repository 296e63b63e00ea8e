import Foundation

/// An INI file read the way pytest reads `pytest.ini`, `tox.ini` and `setup.cfg`: with the rules of
/// the `iniconfig` package that pytest uses (not Python's `configparser`).
///
/// - `[name]` opens a section; text after `#` or `;` on a header line is a comment;
/// - a line whose first character is `#` or `;` (after leading blanks) is a comment, as is a blank line;
/// - `key = value` (split at the first `=`, unless the key would then hold a `:`) or `key: value`
///   (split at the first `": "`);
/// - a line starting with a blank (or with a `[` but not ending as a header) continues the previous
///   value, joined with a newline;
/// - lines are cut where Python's `str.splitlines()` cuts them, blanks are Python's;
/// - keys are kept as written (iniconfig compares them case-sensitively, and pytest ignores a key
///   it does not know, so `Addopts` and `addopts` mean different things);
/// - values are kept whole: an inline `# …` stays part of the value, so that a lock never treats
///   two values as equal when some version of pytest could read them differently;
/// - a duplicate section or key, or a line that is none of the above, makes the file invalid
///   (pytest then refuses to start).
///
/// A hand parser because pytest's own reader is about forty lines of rules that no Swift library
/// reproduces exactly; a configparser clone would differ from pytest (case folding, `%` interpolation,
/// inline comments).
struct INIFile: Equatable, Sendable {
    /// One `key = value` of a section, in file order.
    struct Entry: Equatable, Sendable {
        var key: String
        var value: String
    }

    /// The sections in file order, each with its entries in file order.
    var sections: [(name: String, entries: [Entry])]

    /// Why a file is not valid INI for pytest, with the 1-based line.
    struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "line \(line): \(reason)" }
    }

    static func == (lhs: INIFile, rhs: INIFile) -> Bool {
        lhs.sections.count == rhs.sections.count
            && zip(lhs.sections, rhs.sections).allSatisfy { $0.name == $1.name && $0.entries == $1.entries }
    }

    /// The entries of the section `name`, or `nil` when the file has no such section.
    func section(_ name: String) -> [Entry]? {
        sections.first { $0.name == name }?.entries
    }

    /// Parses `text`, code point by code point as Python does (not by grapheme: a combining mark
    /// after `[`, `#` or `=` must not change what a line is).
    /// - Throws: ``ParseError`` for a file pytest would refuse.
    init(parsing text: String) throws(ParseError) {
        typealias Line = [Unicode.Scalar]
        func string(_ line: some Collection<Unicode.Scalar>) -> String {
            var text = ""
            text.unicodeScalars.append(contentsOf: line)
            return text
        }
        func strip(_ line: some Collection<Unicode.Scalar>) -> Line {
            Array(Array(line).drop { Self.isSpace($0) }.reversed().drop { Self.isSpace($0) }.reversed())
        }
        sections = []
        var names: Set<String> = []
        var keys: Set<String> = []
        var lastKey: String?
        for (index, raw) in Self.lines(of: text).enumerated() {
            let number = index + 1
            let stripped = strip(raw)
            if let first = stripped.first, first == "#" || first == ";" { continue }
            var line = raw
            while let last = line.last, Self.isSpace(last) { line.removeLast() }
            guard let first = line.first else { continue }
            var header = line
            for comment: Unicode.Scalar in ["#", ";"] where first == "[" {
                if let cut = header.firstIndex(of: comment) { header = Array(header[..<cut]) }
                while let last = header.last, Self.isSpace(last) { header.removeLast() }
            }
            if first == "[", header.last == "]", header.count >= 2 {
                let name = string(header.dropFirst().dropLast())
                guard !name.isEmpty else { throw ParseError(line: number, reason: "an empty section name") }
                guard names.insert(name).inserted else {
                    throw ParseError(line: number, reason: "duplicate section \(name.debugDescription)")
                }
                sections.append((name, []))
                keys = []
                lastKey = nil
            } else if Self.isSpace(first) || first == "[" {
                // iniconfig reads a `[` line that is no header as the previous value's continuation.
                guard lastKey != nil, !sections.isEmpty, !sections[sections.count - 1].entries.isEmpty else {
                    throw ParseError(line: number, reason: "a continuation line with no value before it")
                }
                let count = sections[sections.count - 1].entries.count
                let previous = sections[sections.count - 1].entries[count - 1].value
                let more = string(strip(line))
                sections[sections.count - 1].entries[count - 1].value = previous.isEmpty ? more : previous + "\n" + more
            } else {
                guard !sections.isEmpty else {
                    throw ParseError(line: number, reason: "a value outside any section")
                }
                var key: Line
                var value: Line
                if let equals = line.firstIndex(of: "="), !line[..<equals].contains(":") {
                    key = Array(line[..<equals])
                    value = Array(line[(equals + 1)...])
                } else if let colon = line.indices.first(where: {
                    $0 + 1 < line.count && line[$0] == ":" && line[$0 + 1] == " "
                }) {
                    key = Array(line[..<colon])
                    value = Array(line[(colon + 2)...])
                } else {
                    throw ParseError(line: number, reason: "unexpected line \(string(line).debugDescription)")
                }
                let name = string(strip(key))
                guard keys.insert(name).inserted else {
                    throw ParseError(line: number, reason: "duplicate key \(name.debugDescription)")
                }
                sections[sections.count - 1].entries.append(Entry(key: name, value: string(strip(value))))
                lastKey = name
            }
        }
    }

    // MARK: - Python's notion of lines and blanks

    /// The lines of `text` as Python's `str.splitlines()` cuts them (after universal newlines):
    /// at `\n`, `\r`, `\r\n`, `\v`, `\f`, `\x1c`–`\x1e`, `\x85`, U+2028 and U+2029. Splitting at
    /// fewer would let a section hide inside a line that pytest reads as two.
    static func lines(of text: String) -> [[Unicode.Scalar]] {
        var lines: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var afterCarriageReturn = false
        for scalar in text.unicodeScalars {
            defer { afterCarriageReturn = scalar == "\r" }
            if scalar == "\n" && afterCarriageReturn { continue }
            switch scalar.value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                lines.append(current)
                current = []
            default:
                current.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// Python's `str.isspace()` for one code point: Unicode white space, and `\x1c`–`\x1f`.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }
}
