import Foundation

/// Checks a valid scope against the workspace it will run in (`taas validate --workspace`): the
/// pytest targets and the script files that commands name should exist. Each miss is a warning,
/// since a setup step may well create the file before it is used.
public enum WorkspaceCheck {
    /// The extensions of files a command runs as a script.
    static let scriptExtensions: Set<String> = ["py", "sh", "bash", "js", "mjs", "cjs", "ts", "rb", "pl", "php"]

    /// The warnings for `scope` in `workspace`, by JSON path.
    public static func issues(_ scope: TestScope, workspace: URL) -> [ScopeIssue] {
        var issues: [ScopeIssue] = []
        func check(command: String, at path: JSONPath, in folder: String? = nil) {
            for file in scriptFiles(in: command) where !exists(file, in: folder, workspace: workspace) {
                issues.append(
                    ScopeIssue(
                        .warning,
                        at: path,
                        "the command runs \(file), which is not in the workspace \(workspace.path)"
                            + (folder.map { " (in \($0))" } ?? ""),
                        hint: "check the path, or ignore this when an earlier step creates it"
                    )
                )
            }
        }
        let lifecycle = JSONPath.root.appending("lifecycle")
        for (index, step) in scope.lifecycle.setup.enumerated() {
            check(command: step.command, at: lifecycle.appending("setup").appending(index))
        }
        for (index, step) in scope.lifecycle.teardown.enumerated() {
            check(command: step.command, at: lifecycle.appending("teardown").appending(index))
        }
        for (index, service) in scope.services.enumerated() {
            check(
                command: service.command,
                at: JSONPath.root.appending("services").appending(index).appending("command")
            )
        }
        for (index, scenario) in scope.scenarios.enumerated() {
            let path = JSONPath.root.appending("scenarios").appending(index)
            switch scenario.action {
            case .command(let command): check(command: command, at: path.appending("command"))
            case .execution(let execution):
                let executionPath = path.appending("execution")
                if execution.runner == "pytest" {
                    // `tests/test_api.py::test_health` names a file and a test in it.
                    let file = String(execution.target.split(separator: "::", maxSplits: 1).first ?? "")
                    if !file.isEmpty, !exists(file, in: execution.workingDirectory, workspace: workspace) {
                        issues.append(
                            ScopeIssue(
                                .warning,
                                at: executionPath.appending("target"),
                                "the pytest target \(file) is not in the workspace \(workspace.path)"
                                    + (execution.workingDirectory.map { " (in \($0))" } ?? ""),
                                hint: "pytest would collect nothing and the scenario would be an error"
                            )
                        )
                    }
                }
                if let command = execution.command {
                    check(
                        command: command,
                        at: executionPath.appending("command"),
                        in: execution.workingDirectory
                    )
                }
            case .http: break
            }
        }
        return issues
    }

    /// The relative paths of script files a shell command names: words ending in a script extension,
    /// or starting with `./`; not options, URLs, absolute paths or words with shell syntax.
    static func scriptFiles(in command: String) -> [String] {
        command.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == ";" || $0 == "&" || $0 == "|" })
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
            .filter { word in
                guard !word.isEmpty, !word.hasPrefix("-"), !word.hasPrefix("/"), !word.contains("://"),
                    !word.contains("$"), !word.contains("*"), !word.contains("="), !word.contains("~")
                else { return false }
                if word.hasPrefix("./") { return true }
                let ext = (word as NSString).pathExtension.lowercased()
                return scriptExtensions.contains(ext)
            }
    }

    private static func exists(_ file: String, in folder: String?, workspace: URL) -> Bool {
        var base = workspace
        if let folder { base = base.appendingPathComponent(folder) }
        return FileManager.default.fileExists(atPath: base.appendingPathComponent(file).path)
    }
}
