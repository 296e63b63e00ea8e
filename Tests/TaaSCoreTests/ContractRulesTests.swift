import Foundation
import Testing

@testable import TaaSCore

/// The small rules the validator is built from: paths, workspace paths, identifiers, spelling.
@Suite struct ContractRulesTests {
    // MARK: - JSONPath

    @Test func pathDescriptions() {
        #expect(JSONPath.root.description == "$")
        #expect(JSONPath().description == "$")
        #expect(JSONPath.root.appending("scope_id").description == "scope_id")
        #expect(
            JSONPath.root.appending("scenarios").appending(1).appending("retry_policy").appending("attempts")
                .description
                == "scenarios[1].retry_policy.attempts"
        )
        #expect(JSONPath.root.appending(0).description == "[0]")
        #expect(JSONPath.root.appending(0).appending(2).description == "[0][2]")
        #expect(
            JSONPath.root.appending("environment").appending("env").appending("MY-VAR_1").description
                == "environment.env.MY-VAR_1"
        )
    }

    @Test(arguments: [
        ("$schema", #"["$schema"]"#), ("a.b", #"["a.b"]"#), ("with space", #"["with space"]"#), ("", #"[""]"#),
        (#"q"uote"#, #"["q\"uote"]"#),
    ])
    func unusualKeysAreQuoted(key: String, expected: String) {
        #expect(JSONPath.root.appending(key).description == expected)
        #expect(JSONPath.root.appending("env").appending(key).description == "env" + expected)
    }

    @Test func pathsCompareByTheirText() {
        let a = JSONPath.root.appending("a")
        let b = JSONPath.root.appending("b")
        #expect(a < b)
        #expect(!(b < a))
        #expect(a == JSONPath([.key("a")]))
        #expect(a.appending(1) == JSONPath([.key("a"), .index(1)]))
    }

    // MARK: - WorkspacePath

    @Test(arguments: [
        "tests", "tests/test_core.py", "./tests", ".", "a/b/../c", "a/./b", "tests//x.py", "a/..",
        "tests/test_x.py::TestA::test_b",
        "dir-with-dash/-file", "...",
    ])
    func pathsInsideTheWorkspace(path: String) {
        #expect(WorkspacePath.problem(with: path) == nil)
    }

    @Test(arguments: [
        ("/etc/passwd", "is an absolute path"),
        ("/", "is an absolute path"),
        ("~/x", "points into a home folder"),
        ("~root/x", "points into a home folder"),
        ("..", "leaves the workspace"),
        ("../x", "leaves the workspace"),
        ("../../etc/passwd", "leaves the workspace"),
        ("a/../../b", "leaves the workspace"),
        ("./../a", "leaves the workspace"),
        ("a/b/../../..", "leaves the workspace"),
        ("-k", "would be read as an option"),
        ("--co", "would be read as an option"),
    ])
    func pathsOutsideTheWorkspace(path: String, fragment: String) throws {
        let problem = try #require(WorkspacePath.problem(with: path))
        #expect(problem.contains(fragment))
        #expect(problem.hasPrefix("\"\(path)\""))
    }

    // MARK: - Identifiers

    @Test(arguments: ["a", "A1", "UNIT-001", "scope-v2", "x.y_z:w", "0", "9abc"])
    func validIdentifiers(text: String) {
        #expect(Identifier.identifier.matches(text))
    }

    @Test(arguments: ["", "-a", ".a", "_a", ":a", "a b", "a/b", "é", "a\n", "a!", "a@b"])
    func invalidIdentifiers(text: String) {
        #expect(!Identifier.identifier.matches(text))
    }

    @Test(arguments: [
        ("db", true), ("db.primary", true), ("w_1-x", true), ("db:1", false), ("-db", false), ("", false),
        ("d b", false),
    ])
    func serviceNames(text: String, valid: Bool) {
        #expect(Identifier.serviceName.matches(text) == valid)
    }

    @Test(arguments: [
        ("PATH", true), ("_x", true), ("A_1", true), ("_", true), ("1BAD", false), ("A-B", false), ("", false),
        ("Ä", false), ("A B", false),
    ])
    func environmentVariableNames(text: String, valid: Bool) {
        #expect(Identifier.environmentVariable.matches(text) == valid)
    }

    // MARK: - Spelling

    @Test(arguments: [
        ("linaer", ["none", "fixed", "linear", "exponential"], "linear" as String?),
        ("pytset", ["pytest"], "pytest"),
        ("retry_polcy", ["id", "type", "retry_policy", "timeout_seconds"], "retry_policy"),
        ("scenarioss", ["scope_id", "scenarios"], "scenarios"),
        ("SCOPE_ID", ["scope_id", "scenarios"], "scope_id"),
        ("dokcer", ["docker", "venv", "jail", "local"], "docker"),
        ("jest", ["pytest"], nil),
        ("zzzzzz", ["scope_id", "scenarios"], nil),
        ("x", [], nil),
        ("nihil", ["none"], nil),
        ("nne", ["none"], "none"),
    ])
    func closestSuggestion(word: String, candidates: [String], expected: String?) {
        #expect(Spelling.closest(to: word, among: candidates) == expected)
    }

    @Test(arguments: [
        ("", "", 0), ("abc", "", 3), ("", "ab", 2), ("kitten", "sitting", 3), ("linaer", "linear", 2),
        ("same", "same", 0),
        ("flaw", "lawn", 2),
    ])
    func levenshteinDistance(a: String, b: String, distance: Int) {
        #expect(Spelling.distance(Array(a), Array(b)) == distance)
        #expect(Spelling.distance(Array(b), Array(a)) == distance)
    }

    @Test func runnerCatalog() {
        #expect(RunnerCatalog.knownNames == ["pytest", "unittest", "swift", "go", "cargo", "node", "junit"])
    }
}
