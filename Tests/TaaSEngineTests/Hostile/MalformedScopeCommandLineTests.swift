import Foundation
import TaaSCore
import Testing

/// Malformed scopes given to the real `taas`: each is refused with exit code 3 and a message that
/// names the JSON path of the problem, before anything runs. (The full table of malformed scopes is
/// in TaaSCoreTests' InvalidScopeTableTests; these are a sample through the command line.)
@Suite struct MalformedScopeCommandLineTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: @Sendable () -> Data
        /// Text that stderr must contain: the JSON path, and a word of the message.
        var expected: [String]
        var testDescription: String { name }
    }

    static func text(_ name: String, _ text: String, _ expected: String...) -> Case {
        Case(name: name, bytes: { Data(text.utf8) }, expected: expected)
    }

    static let cases: [Case] = [
        text(
            "target ../../etc/passwd",
            #"{"scope_id": "s", "scenarios": [{"id": "A", "execution": {"runner": "pytest", "target": "../../etc/passwd"}}]}"#,
            "scenarios[0].execution.target",
            "leaves the workspace"
        ),
        text(
            "absolute target",
            #"{"scope_id": "s", "scenarios": [{"id": "A", "execution": {"runner": "pytest", "target": "/etc/passwd"}}]}"#,
            "scenarios[0].execution.target",
            "absolute"
        ),
        text(
            "duplicate ids",
            #"{"scope_id": "s", "scenarios": [{"id": "A", "command": "x"}, {"id": "A", "command": "y"}]}"#,
            "scenarios[1].id"
        ),
        text(
            "unknown runner",
            #"{"scope_id": "s", "scenarios": [{"id": "A", "execution": {"runner": "nose", "target": "t.py"}}]}"#,
            "scenarios[0].execution.runner"
        ),
        text(
            "negative pids",
            #"{"scope_id": "s", "environment": {"limits": {"pids": -5}}, "scenarios": [{"id": "A", "command": "x"}]}"#,
            "environment.limits.pids"
        ),
        text("empty scenarios", #"{"scope_id": "s", "scenarios": []}"#, "scenarios"),
        text("missing scope_id", #"{"scenarios": [{"id": "A", "command": "x"}]}"#, "scope_id"),
        text(
            "escaped NUL",
            #"{"scope_id": "a\u0000b", "scenarios": [{"id": "A", "command": "x"}]}"#,
            "scope_id",
            "NUL"
        ),
        Case(
            name: "invalid UTF-8",
            bytes: {
                Data(#"{"scope_id": "a"#.utf8) + Data([0xC3, 0x28])
                    + Data(#"", "scenarios": [{"id": "A", "command": "x"}]}"#.utf8)
            },
            expected: ["$", "UTF-8"]
        ),
        Case(
            name: "raw NUL byte",
            bytes: {
                Data(#"{"scope_id": "a"#.utf8) + Data([0])
                    + Data(#"b", "scenarios": [{"id": "A", "command": "x"}]}"#.utf8)
            },
            expected: ["$", "NUL"]
        ),
        text(
            "nested 1000 deep",
            #"{"scope_id": "s", "description": "# + String(repeating: "[", count: 1000)
                + String(repeating: "]", count: 1000)
                + #", "scenarios": [{"id": "A", "command": "x"}]}"#,
            "$",
            "nested"
        ),
        Case(
            name: "50 MB file",
            bytes: {
                Data(#"{"scope_id": "s", "description": ""#.utf8)
                    + Data(repeating: UInt8(ascii: "a"), count: 50 * 1024 * 1024)
                    + Data(#"", "scenarios": [{"id": "A", "command": "x"}]}"#.utf8)
            },
            expected: ["$", "bytes"]
        ),
    ]

    @Test(arguments: cases)
    func malformedScopeExitsThreeNamingThePath(_ testCase: Case) throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let scope = fixture.root.appendingPathComponent("scope.json")
        try testCase.bytes().write(to: scope)
        let result = try CommandLineTests.taas(["run", scope.path, "--sandbox", "jail", "--out", fixture.output.path])
        #expect(result.status == 3, "\(result.stdout) \(result.stderr)")
        for fragment in testCase.expected {
            #expect(result.stderr.contains(fragment), "stderr does not contain \(fragment): \(result.stderr)")
        }
        // Nothing ran: no report was written.
        #expect(!FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("report.json").path))
    }
}
