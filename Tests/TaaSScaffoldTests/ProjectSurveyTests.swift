import Foundation
import TaaSCore
import TaaSScaffold
import TaaSScopeYAML
import Testing

/// `taas init`'s look at a folder, on small fresh folders of each kind, and the starter scope it
/// writes for them, which must validate.
@Suite struct ProjectSurveyTests {
    /// A fresh folder with these files.
    struct Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("taas-init-\(UUID().uuidString)")

        init(_ files: [String: String]) throws {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            for (path, text) in files {
                let file = url.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: file.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                try Data(text.utf8).write(to: file)
            }
        }

        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    /// The starter scope for `files`, validated: its runners and targets, and its service command.
    static func starter(_ files: [String: String]) throws -> (survey: ProjectSurvey, scope: TestScope) {
        let folder = try Folder(files)
        defer { folder.remove() }
        let survey = ProjectSurvey.survey(folder.url)
        let file = folder.url.appendingPathComponent("scope.yaml")
        try Data(StarterScope.yaml(for: survey, scopeID: "starter").utf8).write(to: file)
        let (scope, warnings) = try TestScope.load(from: file, yaml: YAMLScopeReader())
        #expect(warnings.isEmpty, "\(warnings)")
        return (survey, scope)
    }

    static func executions(_ scope: TestScope) -> [String] {
        scope.scenarios.compactMap {
            guard case .execution(let execution) = $0.action else { return nil }
            return "\(execution.runner) \(execution.target)"
        }
    }

    @Test func pytestProjects() throws {
        let (survey, scope) = try Self.starter([
            "pytest.ini": "[pytest]\n", "tests/test_api.py": "def test_ok():\n    assert True\n",
        ])
        #expect(Self.executions(scope) == ["pytest tests"])
        #expect(survey.suites.first?.evidence.contains("pytest.ini") == true)
        #expect(scope.environment.type == .venv)
        #expect(scope.environment.dependencies == ["pytest"])
        let bare = try Self.starter(["test_math.py": "import pytest\n\ndef test_add():\n    assert 1 + 1 == 2\n"])
        #expect(Self.executions(bare.scope) == ["pytest ."])
    }

    @Test func unittestProjects() throws {
        let (_, scope) = try Self.starter([
            "tests/test_core.py": "import unittest\n\nclass T(unittest.TestCase):\n    def test_a(self): pass\n"
        ])
        #expect(Self.executions(scope) == ["unittest tests"])
        #expect(scope.environment.type == .jail)
    }

    @Test func goCargoNodeAndSwiftProjects() throws {
        #expect(
            Self.executions(try Self.starter(["go.mod": "module example.com/m\n\ngo 1.21\n"]).scope) == ["go ./..."]
        )
        #expect(Self.executions(try Self.starter(["Cargo.toml": "[package]\nname = \"m\"\n"]).scope) == ["cargo ."])
        #expect(
            Self.executions(try Self.starter(["package.json": "{}", "test/a.test.js": "\n"]).scope) == ["node test"]
        )
        #expect(
            Self.executions(try Self.starter(["Package.swift": "// swift-tools-version: 6.0\n"]).scope) == ["swift ."]
        )
    }

    @Test func aWebServiceEntryPointBecomesAServiceWithItsPort() throws {
        let (survey, scope) = try Self.starter([
            "app.py": "from flask import Flask\napp = Flask(__name__)\napp.run(port=5001)\n",
            "tests/test_app.py": "import pytest\n",
        ])
        #expect(survey.service?.command == "python3 app.py")
        #expect(survey.service?.port == 5001)
        #expect(survey.service?.portFound == true)
        #expect(scope.services.map(\.command) == ["python3 app.py"])
        #expect(scope.scenarios.map(\.id) == ["PYTEST", "SERVICE-UP"])

        let module = try Self.starter([
            "gateway/__init__.py": "", "gateway/server.py": "from http.server import HTTPServer\n",
        ])
        #expect(module.survey.service?.command == "python3 -m gateway.server")
        #expect(module.survey.service?.port == ProjectSurvey.guessedPort)
        #expect(module.survey.service?.portFound == false)
    }

    @Test func anEmptyFolderGetsAPlaceholderThatStillValidates() throws {
        let (survey, scope) = try Self.starter(["README.md": "nothing here\n"])
        #expect(survey.suites.isEmpty)
        #expect(scope.scenarios.map(\.id) == ["SMOKE"])
    }

    @Test(arguments: [("My App!", "my-app"), ("pilot-api", "pilot-api"), ("__x", "x"), ("ü", "my-project")])
    func scopeIDsFromFolderNames(name: String, id: String) {
        #expect(StarterScope.scopeID(fromFolderName: name) == id)
    }
}
