/// Messages for dependencies that pip could not install or download.
public enum VenvDependencyMessage {
    /// "cannot install the dependency \"nope==9\": ERROR: Could not find a version ..." — naming the
    /// dependencies that pip's message mentions.
    public static func describe(_ output: String, dependencies: [String]) -> String {
        let lines = output.split(separator: "\n").map(String.init)
        let errorLines = lines.filter { $0.hasPrefix("ERROR") }
        let named = dependencies.filter { dependency in
            let name = dependency.prefix { $0.isLetter || $0.isNumber || "-_.".contains($0) }.lowercased()
            return !name.isEmpty && errorLines.contains { $0.lowercased().contains(name) }
        }
        let subject =
            named.isEmpty
            ? "the dependencies \(dependencies.map { "\"\($0)\"" }.joined(separator: ", "))"
            : "the dependenc\(named.count == 1 ? "y" : "ies") \(named.map { "\"\($0)\"" }.joined(separator: ", "))"
        let detail = (errorLines.isEmpty ? Array(lines.suffix(5)) : errorLines).joined(separator: " ")
        return "cannot install \(subject) with pip: \(detail.suffix(1500))"
    }
}
