/// Messages for dependencies that pip could not install or download.
public enum VenvDependencyMessage {
    /// "cannot install the dependency \"nope==9\": ERROR: Could not find a version ..." — naming the
    /// dependencies that pip's message mentions. When pip found no distribution it could use, the
    /// message adds that taas takes wheels only (``HostPip``) and what to do about a package that
    /// has none.
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
        let noDistribution = errorLines.contains {
            $0.contains("No matching distribution") || $0.contains("Could not find a version")
        }
        let advice =
            noDistribution
            ? "; taas installs wheels only (a source distribution would be built as root on the host), so "
                + "\(named.count == 1 ? "it has" : "they have") no wheel for this Python or no such version exists: "
                + "pick a version that has a wheel, or vendor the package in the workspace (and add its folder to "
                + "PYTHONPATH in environment.env)"
            : ""
        return "cannot install \(subject) with pip: \(detail.suffix(1500))\(advice)"
    }
}
