/// A PEP 508 requirement specifier **by name**: a distribution name, optional extras, optional
/// version specifiers and optional environment markers — `requests[socks]>=2,<3; python_version >= "3.9"`.
///
/// Everything that makes pip fetch or build code from somewhere other than its package index is
/// refused: paths (`./pkg`, `/opt/pkg`, `pkg.tar.gz`), URLs and direct references (`pkg @ file:///…`,
/// `git+https://…`), and pip options (`-e`, `--index-url`, `-r`). pip runs on the host as root, and a
/// local package or a URL can carry a build backend that would run there.
public enum RequirementSpecifier {
    /// Why a specifier is refused, or `nil` when it is a valid requirement by name.
    ///
    /// - Parameter text: the specifier as written in `environment.dependencies`.
    /// - Returns: a sentence saying what was found (for "expected …, found …" messages).
    public static func problem(_ text: String) -> String? {
        var scanner = Cursor(Array(text.unicodeScalars))
        scanner.skipSpaces()
        if scanner.peek == "-" { return "the option \"\(text)\"" }
        if text.contains("://") || text.hasPrefix("file:") { return "the URL \"\(text)\"" }
        if text.contains("@") { return "the direct reference \"\(text)\" (a name followed by @ and a URL or path)" }
        if scanner.peek == "." || scanner.peek == "/" || scanner.peek == "~" || text.contains("/")
            || text.contains("\\")
        {
            return "the path \"\(text)\""
        }
        // The name: letters and digits, with . _ - inside.
        let name = scanner.take { isNameCharacter($0) }
        guard let first = name.first, let last = name.last, isAlphanumeric(first), isAlphanumeric(last) else {
            return "\"\(text)\", which does not start with a package name"
        }
        let lowered = String(String.UnicodeScalarView(name)).lowercased()
        if archiveSuffixes.contains(where: { lowered.hasSuffix($0) }) {
            return "the archive file name \"\(text)\" (pip would read it as a path)"
        }
        scanner.skipSpaces()
        if scanner.peek == "[" {
            scanner.advance()
            while true {
                scanner.skipSpaces()
                let extra = scanner.take { isNameCharacter($0) }
                guard !extra.isEmpty else { return "\"\(text)\", whose extras are not a list of names in [ ]" }
                scanner.skipSpaces()
                if scanner.peek == "," {
                    scanner.advance()
                    continue
                }
                if scanner.peek == "]" {
                    scanner.advance()
                    break
                }
                return "\"\(text)\", whose extras are not a list of names in [ ]"
            }
            scanner.skipSpaces()
        }
        if scanner.peek == "(" {
            scanner.advance()
            guard versionSpecifiers(&scanner) else { return "\"\(text)\", whose version specifiers are not valid" }
            scanner.skipSpaces()
            guard scanner.peek == ")" else { return "\"\(text)\", whose version specifiers are not valid" }
            scanner.advance()
        } else if let next = scanner.peek, "<>=!~".unicodeScalars.contains(next) {
            guard versionSpecifiers(&scanner) else { return "\"\(text)\", whose version specifiers are not valid" }
        }
        scanner.skipSpaces()
        if scanner.peek == ";" {
            scanner.advance()
            guard markers(&scanner) else { return "\"\(text)\", whose environment markers are not valid" }
        }
        scanner.skipSpaces()
        guard scanner.atEnd else { return "\"\(text)\", which has more than a name, extras, versions and markers" }
        return nil
    }

    /// File name endings that make pip treat a bare word as a path to an archive.
    static let archiveSuffixes = [
        ".whl", ".zip", ".tar", ".tgz", ".tbz", ".txz", ".tlz", ".tar.gz", ".tar.bz2", ".tar.xz", ".tar.lz",
        ".tar.lzma", ".tbz2",
    ]

    /// `op version (, op version)*`, where a version is PEP 440 text (`1.2.*`, `2.0rc1`, `1!2.0+local`).
    private static func versionSpecifiers(_ scanner: inout Cursor) -> Bool {
        while true {
            scanner.skipSpaces()
            let operatorText = String(String.UnicodeScalarView(scanner.take { "<>=!~".unicodeScalars.contains($0) }))
            if operatorText.isEmpty { return false }
            if !["<", ">", "<=", ">=", "==", "!=", "~=", "==="].contains(operatorText) { return false }
            scanner.skipSpaces()
            let version = scanner.take { isAlphanumeric($0) || "._+!*-".unicodeScalars.contains($0) }
            guard let head = version.first, isAlphanumeric(head) else { return false }
            scanner.skipSpaces()
            if scanner.peek == "," {
                scanner.advance()
                continue
            }
            return true
        }
    }

    /// Environment markers: marker variables, quoted strings, comparison operators, `and`, `or`,
    /// `in`, `not in` and parentheses, in the order PEP 508 allows.
    private static func markers(_ scanner: inout Cursor) -> Bool {
        var depth = 0
        var expectValue = true  // a value (variable, string, or "(") comes next
        var sawComparison = false
        while true {
            scanner.skipSpaces()
            guard let next = scanner.peek else { return !expectValue && depth == 0 && sawComparison }
            if expectValue {
                if next == "(" {
                    scanner.advance()
                    depth += 1
                    continue
                }
                if next == "\"" || next == "'" {
                    scanner.advance()
                    let body = scanner.take { $0 != next && $0 != "\n" }
                    guard scanner.peek == next, !body.contains(where: { $0.value < 0x20 }) else { return false }
                    scanner.advance()
                } else {
                    let word = String(
                        String.UnicodeScalarView(scanner.take { isAlphanumeric($0) || $0 == "_" || $0 == "." })
                    )
                    guard markerVariables.contains(word) else { return false }
                }
                expectValue = false
                // After a value: a comparison operator and a second value, then `)`, `and`, `or` or the end.
                scanner.skipSpaces()
                let operatorText = String(
                    String.UnicodeScalarView(scanner.take { "<>=!~".unicodeScalars.contains($0) })
                )
                if !operatorText.isEmpty {
                    guard ["<", ">", "<=", ">=", "==", "!=", "~=", "==="].contains(operatorText) else { return false }
                    expectValue = true
                    sawComparison = true
                    continue
                }
                let word = scanner.lookAheadWord()
                if word == "in" {
                    scanner.skip(word.count)
                    expectValue = true
                    sawComparison = true
                    continue
                }
                if word == "not" {
                    scanner.skip(3)
                    scanner.skipSpaces()
                    guard scanner.lookAheadWord() == "in" else { return false }
                    scanner.skip(2)
                    expectValue = true
                    sawComparison = true
                    continue
                }
            }
            scanner.skipSpaces()
            guard let after = scanner.peek else { continue }
            if after == ")" {
                guard depth > 0 else { return false }
                depth -= 1
                scanner.advance()
                continue
            }
            let word = scanner.lookAheadWord()
            guard word == "and" || word == "or" else { return false }
            scanner.skip(word.count)
            expectValue = true
        }
    }

    /// The marker variables of PEP 508 (and the legacy dotted forms pip still accepts).
    static let markerVariables: Set<String> = [
        "python_version", "python_full_version", "os_name", "sys_platform", "platform_release", "platform_system",
        "platform_version", "platform_machine", "platform_python_implementation", "implementation_name",
        "implementation_version", "extra", "os.name", "sys.platform", "platform.version", "platform.machine",
        "platform.python_implementation", "python_implementation",
    ]

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isAlphanumeric(scalar) || scalar == "." || scalar == "_" || scalar == "-"
    }

    /// A cursor over the specifier's scalars.
    private struct Cursor {
        var scalars: [Unicode.Scalar]
        var index = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var atEnd: Bool { index >= scalars.count }
        var peek: Unicode.Scalar? { atEnd ? nil : scalars[index] }

        mutating func advance() { index += 1 }
        mutating func skip(_ count: Int) { index = min(scalars.count, index + count) }

        mutating func skipSpaces() {
            while let scalar = peek, scalar == " " || scalar == "\t" { index += 1 }
        }

        mutating func take(while accept: (Unicode.Scalar) -> Bool) -> [Unicode.Scalar] {
            let start = index
            while let scalar = peek, accept(scalar) { index += 1 }
            return Array(scalars[start..<index])
        }

        /// The run of letters at the cursor, without moving it.
        func lookAheadWord() -> String {
            var end = index
            while end < scalars.count, ("a"..."z").contains(scalars[end]) { end += 1 }
            return String(String.UnicodeScalarView(scalars[index..<end]))
        }
    }
}
