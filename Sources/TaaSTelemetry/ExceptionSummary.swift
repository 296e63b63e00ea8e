/// A failure message reduced to what an error span carries: a short, low-cardinality type (the
/// exception's type, `assertion`, `timeout`), the message's first line, and the whole message as
/// the stack trace, cut to ``stacktraceLimit`` bytes.
struct ExceptionSummary: Equatable {
    /// The most bytes of `exception.stacktrace` (and of `exception.message`'s first line) kept.
    static let stacktraceLimit = 4096
    static let messageLimit = 512

    var type: String
    var message: String
    var stacktrace: String

    /// Reads `message` (a case's or an attempt's), with `fallback` as the type when no exception
    /// type can be seen in it.
    init(message: String, fallback: String) {
        let firstLine = message.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        self.type = Self.exceptionType(in: message) ?? fallback
        self.message = Self.cut(firstLine, to: Self.messageLimit)
        self.stacktrace = Self.cut(message, to: Self.stacktraceLimit)
    }

    /// `AssertionError` in `AssertionError: …` or `E   ValueError: …`; `assertion` for pytest's
    /// `assert …` lines. Only identifier-like names count, so the type stays low-cardinality.
    static func exceptionType(in message: String) -> String? {
        for rawLine in message.split(separator: "\n") {
            var line = Substring(rawLine.drop { $0 == " " || $0 == "\t" })
            if line.hasPrefix("E ") { line = line.dropFirst(1).drop { $0 == " " } }
            if line.hasPrefix("assert ") || line == "assert" { return "assertion" }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon]
            let last = name.split(separator: ".").last ?? name
            let isIdentifier =
                !name.isEmpty && name.count <= 100
                && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
                && last.first?.isUppercase == true
            if isIdentifier, last.hasSuffix("Error") || last.hasSuffix("Exception") || name.contains(".") {
                return String(last)
            }
        }
        return nil
    }

    /// `text` cut to at most `limit` UTF-8 bytes, on a character boundary, with `…` when cut.
    static func cut(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var result = ""
        var bytes = 0
        for character in text {
            let size = character.utf8.count
            if bytes + size > limit - 3 { break }
            result.append(character)
            bytes += size
        }
        return result + "…"
    }
}
