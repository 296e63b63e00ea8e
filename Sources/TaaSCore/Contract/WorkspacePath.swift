/// Rules for paths that a scope names inside its workspace.
public enum WorkspacePath {
    /// Why `path` cannot name something inside the workspace, or `nil` when it can.
    public static func problem(with path: String) -> String? {
        if path.hasPrefix("/") {
            return
                "\"\(path)\" is an absolute path; expected a path relative to the workspace, such as \"tests/test_core.py\""
        }
        if path.hasPrefix("~") {
            return "\"\(path)\" points into a home folder; expected a path relative to the workspace"
        }
        var depth = 0
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".": continue
            case "..":
                depth -= 1
                if depth < 0 { return "\"\(path)\" leaves the workspace; expected a path inside it" }
            default: depth += 1
            }
        }
        if path.hasPrefix("-") {
            return "\"\(path)\" starts with '-' and would be read as an option; prefix it with \"./\""
        }
        return nil
    }
}
