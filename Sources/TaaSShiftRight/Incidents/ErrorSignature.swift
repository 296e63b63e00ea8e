import Foundation

/// What kind of failure an exchange shows, as a short text that is the same for every occurrence of
/// one failure: the status class (`5xx`), or `no answer`, then the exception's type (`ZeroDivisionError`)
/// or, when no type can be told, its message with numbers and ids stripped.
///
/// `5xx ZeroDivisionError`, `5xx`, `no answer`, `4xx KeyError`, `5xx timeout after N ms talking to {id}`.
public enum ErrorSignature {
    /// The most characters of a message kept in a signature.
    public static let maximumMessageLength = 80

    /// Whether an exchange is an incident: answered 5xx, not answered at all, or tied to an error.
    public static func isIncident(_ exchange: RecordedExchange) -> Bool {
        guard let response = exchange.response else { return true }
        return response.status >= 500 || exchange.error != nil
    }

    /// The signature of an exchange (see ``ErrorSignature``).
    public static func of(_ exchange: RecordedExchange) -> String {
        var parts: [String] = []
        if let response = exchange.response {
            parts.append("\(response.status / 100)xx")
        } else if exchange.error == nil {
            parts.append("no answer")
        }
        if let error = exchange.error, let described = describe(error) { parts.append(described) }
        return parts.joined(separator: " ")
    }

    /// The exception type of an error text, or its message with numbers and ids stripped.
    public static func describe(_ error: String) -> String? {
        let firstLine =
            error.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty && $0 != "Traceback (most recent call last):" } ?? ""
        if let type = exceptionType(in: error) { return type }
        let normalized = normalize(firstLine)
        guard !normalized.isEmpty else { return nil }
        return normalized.count > maximumMessageLength
            ? String(normalized.prefix(maximumMessageLength)) + "…" : normalized
    }

    /// `ZeroDivisionError` from `ZeroDivisionError: division by zero` or from a Python traceback's
    /// last line; `java.lang.IllegalStateException` from `java.lang.IllegalStateException: …`.
    static func exceptionType(in error: String) -> String? {
        let lines = error.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        let candidates = lines.first == "Traceback (most recent call last):" ? lines.reversed() : lines
        for line in candidates where !line.isEmpty {
            let head = line.prefix { $0 != ":" && $0 != " " && $0 != "(" }
            guard !head.isEmpty, head.first?.isLetter == true,
                head.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "$" })
            else { continue }
            let name = head.split(separator: ".").last.map(String.init) ?? ""
            let suffixes = ["Error", "Exception", "Fault", "Panic", "Failure", "Timeout", "Interrupt", "Exit"]
            let camelCaseBeforeColon =
                line.dropFirst(head.count).hasPrefix(":") && name.count > 3 && name.first?.isUppercase == true
                && name.contains(where: \.isLowercase)
            if suffixes.contains(where: { name.hasSuffix($0) }) || camelCaseBeforeColon { return String(head) }
        }
        return nil
    }

    /// A message with its variable parts replaced: ids and hexadecimal by `{id}`, other numbers by `N`,
    /// quoted texts by `"…"`.
    public static func normalize(_ message: String) -> String {
        var text = message
        let rules: [(String, String)] = [
            (#"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"#, "{id}"),
            (#"\b(0x)?(?=[0-9a-fA-F]*[a-fA-F])(?=[0-9a-fA-F]*[0-9])[0-9a-fA-F]{6,}\b"#, "{id}"),
            (#"'[^']*'"#, "'…'"),
            (#""[^"]*""#, "\"…\""),
            (#"\d+(\.\d+)?"#, "N"),
            (#"\s+"#, " "),
        ]
        for (pattern, replacement) in rules {
            text = text.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
