import Foundation

/// The lines of one section of an INI or TOML file, such as `[tool.pytest.ini_options]` of a
/// `pyproject.toml`: the part of a shared configuration file that can change what a test run does.
enum ConfigurationSection {
    /// The sections of `text` whose header name satisfies `wanted`, each with its lines (header
    /// included) up to the next header.
    static func sections(in text: String, where wanted: (String) -> Bool) -> [(name: String, text: String)] {
        var result: [(name: String, text: String)] = []
        var current: (name: String, lines: [Substring])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let name = headerName(line) {
                if let open = current { result.append((open.name, open.lines.joined(separator: "\n"))) }
                current = wanted(name) ? (name, [line]) : nil
            } else if current != nil {
                current?.lines.append(line)
            }
        }
        if let open = current { result.append((open.name, open.lines.joined(separator: "\n"))) }
        return result
    }

    /// `tool.pytest.ini_options` for the line `[tool.pytest.ini_options]`; `nil` for other lines.
    static func headerName(_ line: Substring) -> String? {
        var body = line.trimmingCharacters(in: .whitespaces)
        if let comment = body.firstIndex(of: "#"), body.first == "[" {
            body = String(body[..<comment]).trimmingCharacters(in: .whitespaces)
        }
        guard body.hasPrefix("["), body.hasSuffix("]") else { return nil }
        let name = body.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).trimmingCharacters(in: .whitespaces)
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_.:-\"' "))
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
        return name.replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "'", with: "")
    }
}
