import Foundation

/// The starter scope `taas init` writes: YAML with a comment on every part, for what the folder holds.
public enum StarterScope {
    /// The scope id made from a folder's name: letters, digits, `.`, `_`, `-`, starting with a letter
    /// or digit (`My App!` → `my-app`).
    public static func scopeID(fromFolderName name: String) -> String {
        var id = ""
        for scalar in name.lowercased().unicodeScalars {
            let allowed =
                (scalar.value < 0x80)
                && (CharacterSetASCII.alphanumeric(scalar) || "._-".unicodeScalars.contains(scalar))
            if allowed {
                id.unicodeScalars.append(scalar)
            } else if !id.hasSuffix("-") {
                id.append("-")
            }
        }
        while let first = id.unicodeScalars.first, !CharacterSetASCII.alphanumeric(first) { id.removeFirst() }
        while id.hasSuffix("-") { id.removeLast() }
        return id.isEmpty ? "my-project" : id
    }

    /// The YAML text of the starter scope.
    public static func yaml(for survey: ProjectSurvey, scopeID: String) -> String {
        var lines = [
            "# A TestScope for taas, written by `taas init`. Edit it, then:",
            "#   taas validate .          # check it (every problem with its path, line and column)",
            "#   taas run .               # run it in a sandbox; the report lands in taas-out/",
            "# The contract: docs/contract.md in the taas repository; `taas schema` prints its JSON Schema.",
            "scope_id: \(scopeID)",
            "",
            "environment:",
        ]
        if survey.needsPytest {
            lines += [
                "  # venv: a jail with a cached virtualenv holding these packages (pip requirement specifiers).",
                "  type: venv",
                "  dependencies:",
                "    - pytest",
            ]
        } else {
            lines += [
                "  # jail: a bubblewrap sandbox with the host's tools and no network; venv adds Python packages,",
                "  # docker runs in a container.",
                "  type: jail",
            ]
        }
        lines += [
            "",
            "lifecycle:",
            "  # Shell commands run before the services and scenarios (a failing one stops the run as error),",
            "  # and after them, always.",
            "  setup: []",
            "  teardown: []",
            "",
        ]
        if let service = survey.service {
            lines += [
                "services:",
                "  # Found \(service.evidence): started in the background; scenarios start once it is ready.",
                "  - name: app",
                "    command: \(quoted(service.command))",
                "    ready:",
                service.portFound
                    ? "      # The port was read from its source; a health URL is better: http: http://127.0.0.1:\(service.port)/health"
                    : "      # No port was found in its source: \(service.port) is a guess, put the one it listens on.",
                "      tcp: \(service.port)",
                "      timeout_seconds: 20",
                "",
            ]
        } else {
            lines += [
                "# Background services (a web server the tests call) go here:",
                "# services:",
                "#   - name: api",
                "#     command: python3 -m app --port 8000",
                "#     ready: { http: \"http://127.0.0.1:8000/health\", timeout_seconds: 20 }",
                "",
            ]
        }
        lines.append("scenarios:")
        for suite in survey.suites {
            lines += [
                "  # Found \(suite.evidence).",
                "  - id: \(suite.runner.uppercased())",
                "    type: unit",
                "    execution:",
                "      runner: \(suite.runner)",
                "      target: \(quoted(suite.target))",
                "    timeout_seconds: 600",
            ]
        }
        if let service = survey.service {
            lines += [
                "  # The service answers HTTP on its port (any status below 500; put its health URL here).",
                "  - id: SERVICE-UP",
                "    type: integration",
                "    http:",
                "      url: \"http://127.0.0.1:\(service.port)/\"",
                "      expect: { status: { lt: 500 } }",
                "    retry_policy: { attempts: 3, backoff: linear, delay_seconds: 1 }",
            ]
        }
        if survey.suites.isEmpty && survey.service == nil {
            lines += [
                "  # No tests were found here; this scenario is a placeholder that passes. Replace it with an",
                "  # execution (runner: pytest, unittest, go, cargo, node, swift) or a command.",
                "  - id: SMOKE",
                "    type: unit",
                "    command: \"true\"",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML plain scalar when the text is safe as one, else a double-quoted string.
    static func quoted(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy {
            CharacterSetASCII.alphanumeric($0) || " ./_-".unicodeScalars.contains($0)
        }
        if plain, let first = text.unicodeScalars.first, CharacterSetASCII.alphanumeric(first) || first == "." {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }
}

/// ASCII character tests without Foundation's character sets.
enum CharacterSetASCII {
    static func alphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        (0x30...0x39).contains(scalar.value) || (0x41...0x5A).contains(scalar.value)
            || (0x61...0x7A).contains(scalar.value)
    }
}
