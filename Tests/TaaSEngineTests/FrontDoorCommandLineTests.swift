import Foundation
import TaaSCore
import Testing

/// The front doors of `taas`, run as a user would: `taas init` on fresh folders, `taas run DIR`,
/// bad scope paths said in words, `taas validate --format json` and `--workspace`.
@Suite(.serialized) struct FrontDoorCommandLineTests {
    @Test func initWritesAStarterThatValidatesAndRuns() throws {
        let fixture = try RunFixture(files: [
            "tests/test_core.py":
                "import unittest\n\nclass Core(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(1 + 1, 2)\n"
        ])
        defer { fixture.remove() }
        let written = try CommandLineTests.taas(["init", fixture.workspace.path])
        #expect(written.status == 0, "\(written.stdout)\n\(written.stderr)")
        #expect(written.stdout.contains("found unittest tests: tests/test_core.py"), "\(written.stdout)")
        #expect(written.stdout.contains("taas run \(fixture.workspace.path)"))
        let scope = try String(contentsOf: fixture.workspace.appendingPathComponent("scope.yaml"), encoding: .utf8)
        #expect(scope.contains("# A TestScope for taas, written by `taas init`"))

        let again = try CommandLineTests.taas(["init", fixture.workspace.path])
        #expect(again.status == 2)
        #expect(again.stderr.contains("exists already; not overwritten (--force overwrites it)"), "\(again.stderr)")

        let validated = try CommandLineTests.taas([
            "validate", fixture.workspace.path, "--workspace", fixture.workspace.path,
        ])
        #expect(validated.status == 0, "\(validated.stderr)")
        #expect(validated.stdout.contains("valid TestScope \"workspace\" with 1 scenario"), "\(validated.stdout)")

        // `taas run DIR` finds DIR/scope.yaml; the workspace is DIR.
        let run = try CommandLineTests.taas(["run", fixture.workspace.path, "--out", fixture.output.path])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        let report = try TaaSReport.decode(from: Data(contentsOf: fixture.output.appendingPathComponent("report.json")))
        #expect(report.scenarios.first?.cases.map(\.name).contains { $0.contains("test_add") } == true)
    }

    @Test func initInAFolderWithAGoModuleAndAService() throws {
        let fixture = try RunFixture(files: [
            "go.mod": "module example.com/m\n\ngo 1.21\n",
            "main.go": "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8081\", nil) }\n",
        ])
        defer { fixture.remove() }
        let written = try CommandLineTests.taas(["init", fixture.workspace.path])
        #expect(written.status == 0, "\(written.stdout)\n\(written.stderr)")
        #expect(written.stdout.contains("found go tests: go.mod"))
        #expect(written.stdout.contains("started with `go run .` on port 8081"), "\(written.stdout)")
        let validated = try CommandLineTests.taas(["validate", fixture.workspace.path, "--format", "json"])
        #expect(validated.status == 0, "\(validated.stderr)")
        #expect(validated.stdout.contains("\"valid\": true"), "\(validated.stdout)")
    }

    @Test(arguments: [
        ("folder", "it is a folder with no scope.json, scope.yaml, scope.yml in it"),
        ("missing", "there is no such file; check the path"),
        ("fifo", "it is not a regular file"),
        ("python", "neither a JSON nor a YAML TestScope"),
        ("binary", "it is not text (not UTF-8, or it holds NUL bytes)"),
    ])
    func badScopePathsAreSaidInWords(kind: String, expected: String) throws {
        let fixture = try RunFixture(files: ["empty/README.md": "", "scope.py": "import os\nprint(os.getcwd())\n"])
        defer { fixture.remove() }
        let path: String
        switch kind {
        case "folder": path = fixture.workspace.appendingPathComponent("empty").path
        case "missing": path = fixture.workspace.appendingPathComponent("nope.json").path
        case "fifo":
            path = fixture.workspace.appendingPathComponent("scope.json").path
            #expect(mkfifo(path, 0o600) == 0)
        case "python": path = fixture.workspace.appendingPathComponent("scope.py").path
        default:
            path = fixture.workspace.appendingPathComponent("scope.bin").path
            FileManager.default.createFile(atPath: path, contents: Data([0x7F, 0x45, 0x4C, 0x46, 0, 1, 2]))
        }
        for command in ["run", "validate"] {
            let arguments = command == "run" ? ["run", path, "--out", fixture.output.path] : ["validate", path]
            let result = try CommandLineTests.taas(arguments)
            #expect(result.status == 3, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("cannot read the scope file \(path): "), "\(result.stderr)")
            #expect(result.stderr.contains(expected), "\(command): \(result.stderr)")
            #expect(!result.stderr.contains("NSCocoaErrorDomain"))
        }
    }

    @Test func validateFormatJSONListsProblemsWithPathsAndPositions() throws {
        let fixture = try RunFixture(files: [
            "scope.json": """
            {"scope_id": "bad",
             "scenarios": [{"id": "A", "command": "true", "retry_policy": {"attempts": 0}}]}
            """
        ])
        defer { fixture.remove() }
        let result = try CommandLineTests.taas([
            "validate", fixture.workspace.appendingPathComponent("scope.json").path, "--format", "json",
        ])
        #expect(result.status == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == false)
        let problems = try #require(object["problems"] as? [[String: Any]])
        #expect(problems.first?["path"] as? String == "scenarios[0].retry_policy.attempts")
        #expect(problems.first?["severity"] as? String == "error")
        #expect(problems.first?["line"] as? Int == 2)

        let missing = try CommandLineTests.taas(["validate", "/nonexistent/scope.json", "--format", "json"])
        #expect(missing.status == 3)
        #expect(missing.stdout.contains("\"code\": \"missing\""), "\(missing.stdout)")
    }

    @Test func validateWorkspaceWarnsAboutMissingTargetsAndScripts() throws {
        let fixture = try RunFixture(files: [
            "scope.json": """
            {"scope_id": "ws", "lifecycle": {"setup": ["python3 scripts/seed.py", "python3 scripts/present.py"]},
             "scenarios": [
               {"id": "U", "execution": {"runner": "pytest", "target": "tests/test_gone.py::test_x"}},
               {"id": "C", "command": "./run-checks.sh --fast"}]}
            """,
            "scripts/present.py": "",
        ])
        defer { fixture.remove() }
        let scope = fixture.workspace.appendingPathComponent("scope.json").path
        let plain = try CommandLineTests.taas(["validate", scope])
        #expect(plain.status == 0)
        #expect(!plain.stderr.contains("warning"), "no workspace check without --workspace")
        let checked = try CommandLineTests.taas(["validate", scope, "--workspace", fixture.workspace.path])
        #expect(checked.status == 0, "warnings do not make a scope invalid")
        #expect(checked.stderr.contains("3 warnings"), "\(checked.stderr)")
        #expect(checked.stderr.contains("lifecycle.setup[0]: the command runs scripts/seed.py"))
        #expect(checked.stderr.contains("scenarios[0].execution.target: the pytest target tests/test_gone.py"))
        #expect(checked.stderr.contains("scenarios[1].command: the command runs ./run-checks.sh"))
        #expect(!checked.stderr.contains("present.py"))
    }

    @Test(arguments: ["bash", "zsh", "fish"])
    func shellCompletionsKnowTheNewCommandsAndOptions(shell: String) throws {
        let result = try CommandLineTests.taas(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        for word in [
            "init", "mcp", "--scenario", "--fail-fast", "--rerun-failed", "--color", "--format", "--workspace",
        ] {
            // fish names long options without their dashes (`-l scenario`).
            let expected = shell == "fish" ? String(word.drop { $0 == "-" }) : word
            #expect(result.stdout.contains(expected), "\(shell) completion lacks \(word)")
        }
    }
}
