/// The lexical rules for names in the contract.
struct Identifier: Sendable {
    let noun: String
    let rule: String
    private let isValid: @Sendable (String) -> Bool

    func matches(_ text: String) -> Bool { isValid(text) }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(scalar.value) || (0x41...0x5A).contains(scalar.value)
            || (0x61...0x7A).contains(scalar.value)
    }

    /// Scope and scenario ids: `^[A-Za-z0-9][A-Za-z0-9._:-]*$`.
    static let identifier = Identifier(
        noun: "id",
        rule: "use letters, digits, '.', '_', ':' and '-', starting with a letter or digit"
    ) { text in
        guard let first = text.unicodeScalars.first, isAlphanumeric(first) else { return false }
        return text.unicodeScalars.allSatisfy { isAlphanumeric($0) || "._:-".unicodeScalars.contains($0) }
    }

    /// Service names: `^[A-Za-z0-9][A-Za-z0-9._-]*$`.
    static let serviceName = Identifier(
        noun: "service name",
        rule: "use letters, digits, '.', '_' and '-', starting with a letter or digit"
    ) { text in
        guard let first = text.unicodeScalars.first, isAlphanumeric(first) else { return false }
        return text.unicodeScalars.allSatisfy { isAlphanumeric($0) || "._-".unicodeScalars.contains($0) }
    }

    /// Environment variable names: `^[A-Za-z_][A-Za-z0-9_]*$`.
    static let environmentVariable = Identifier(
        noun: "variable name",
        rule: "use letters, digits and '_', not starting with a digit"
    ) { text in
        guard let first = text.unicodeScalars.first, isAlphanumeric(first) || first == "_",
            !(0x30...0x39).contains(first.value)
        else { return false }
        return text.unicodeScalars.allSatisfy { isAlphanumeric($0) || $0 == "_" }
    }
}
