import Foundation
import TaaSCore
import TaaSScopeYAML
import Testing

/// YAML scopes are read into the same model as JSON scopes, validated by the same reader, and
/// their problems carry the YAML file's lines and columns.
@Suite struct YAMLScopeTests {
    static func load(_ text: String, name: String = "scope.yaml") throws -> (TestScope, [ScopeIssue]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taas-yaml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return try TestScope.load(from: file, yaml: YAMLScopeReader())
    }

    @Test func aYAMLScopeReadsAsTheSameScopeAsItsJSON() throws {
        let yaml = """
            # comments are allowed
            scope_id: demo
            environment:
              type: venv
              dependencies: [pytest]
            lifecycle:
              setup:
                - python3 scripts/seed.py
            scenarios:
              - id: UNIT
                execution: { runner: pytest, target: tests }
                timeout_seconds: 120
              - id: HEALTH
                type: integration
                command: "curl -fsS http://127.0.0.1:8000/health"
                retry_policy: { attempts: 3, backoff: linear, delay_seconds: 0.5 }
            """
        let json = """
            {"scope_id": "demo", "environment": {"type": "venv", "dependencies": ["pytest"]},
             "lifecycle": {"setup": ["python3 scripts/seed.py"]},
             "scenarios": [
               {"id": "UNIT", "execution": {"runner": "pytest", "target": "tests"}, "timeout_seconds": 120},
               {"id": "HEALTH", "type": "integration", "command": "curl -fsS http://127.0.0.1:8000/health",
                "retry_policy": {"attempts": 3, "backoff": "linear", "delay_seconds": 0.5}}]}
            """
        let (fromYAML, warnings) = try Self.load(yaml)
        let fromJSON = try TestScope.parse(Data(json.utf8)).scope
        #expect(warnings.isEmpty)
        #expect(fromYAML == fromJSON, "the same scope, and the same fingerprint")
    }

    @Test func problemsNameTheJSONPathAndTheYAMLLineAndColumn() throws {
        let yaml = """
            scope_id: demo
            scenarios:
              - id: A
                command: "true"
                retry_policy:
                  attempts: 0
              - id: B
                execution: { runner: pytset, target: t.py }
            """
        #expect {
            _ = try Self.load(yaml)
        } throws: { error in
            guard let invalid = error as? InvalidScopeError else { return false }
            let attempts = invalid.issues.first { $0.path.description == "scenarios[0].retry_policy.attempts" }
            let runner = invalid.issues.first { $0.path.description == "scenarios[1].execution.runner" }
            return attempts?.location == SourceLocation(line: 6, column: 7)
                && runner?.location == SourceLocation(line: 8, column: 18)
                && invalid.source?.hasSuffix("scope.yaml") == true
        }
    }

    @Test func aYAMLSyntaxErrorSaysWhere() throws {
        #expect {
            _ = try Self.load("scope_id: demo\nscenarios:\n  - id: A\n   command: [unclosed\n")
        } throws: { error in
            guard let invalid = error as? InvalidScopeError, let issue = invalid.issues.first else { return false }
            return issue.message.hasPrefix("not valid YAML: ") && issue.location.map { $0.line >= 3 } == true
        }
    }

    @Test func duplicateKeysAreErrors() throws {
        #expect {
            _ = try Self.load("scope_id: a\nscope_id: b\nscenarios: [{id: A, command: 'true'}]\n")
        } throws: { error in
            "\(error)".contains("scope_id") && "\(error)".contains("more than once")
        }
    }

    @Test func quotedScalarsStayStringsAndPlainOnesTakeTheirTypes() throws {
        let reader = YAMLScopeReader()
        let document = try reader.read("a: 'true'\nb: true\nc: 3\nd: 2.5\ne: null\nf: '3'\n")
        guard case .object(let members) = document.value else {
            Issue.record("not an object")
            return
        }
        let values = Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value) })
        #expect(values["a"] == .string("true"))
        #expect(values["b"] == .bool(true))
        #expect(values["c"] == .number(JSONNumber("3")))
        #expect(values["d"]?.kindDescription == "a number")
        #expect(values["e"] == .null)
        #expect(values["f"] == .string("3"))
    }

    @Test func aFileThatIsNeitherJSONNorAYAMLMappingSaysSo() throws {
        #expect {
            _ = try Self.load("import os\nprint('hello')\n", name: "scope.txt")
        } throws: { error in
            guard let error = error as? ScopeFileError else { return false }
            return error.code == .unsupported && error.reason.contains("neither a JSON nor a YAML TestScope")
        }
    }
}
