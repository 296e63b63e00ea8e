import Foundation
import TaaSCore
import Testing

/// Files of the package, found relative to this source file.
enum Fixtures {
    /// The package root: three levels above `Tests/TaaSCoreTests/TestSupport.swift`.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TaaSCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root

    static func url(_ relativePath: String) -> URL { packageRoot.appendingPathComponent(relativePath) }

    static func data(_ relativePath: String) throws -> Data { try Data(contentsOf: url(relativePath)) }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }
}

/// Reads a scope from text.
func readScope(_ text: String) -> ScopeReader.Result { ScopeReader.read(Data(text.utf8)) }

/// Parses JSON text, failing the test on a syntax error.
func parseJSON(_ text: String) throws -> JSONValue {
    try JSONParser.parse(Data(text.utf8)).value
}

/// Builds scope documents for tests.
enum Doc {
    /// A scenario that is valid on its own.
    static let validScenario = #"{"id": "A", "command": "true"}"#

    /// A scope with the given top-level members (JSON text without braces) before the scenarios.
    static func scope(_ members: String = "", scenarios: String = "[\(validScenario)]") -> String {
        #"{"scope_id": "s", "# + (members.isEmpty ? "" : members + ", ") + #""scenarios": "# + scenarios + "}"
    }

    /// A scope whose only scenario has `id` "A" and the given extra members.
    static func scenario(_ members: String) -> String {
        scope(scenarios: #"[{"id": "A", "# + members + "}]")
    }

    /// A scope whose only scenario runs `pytest` with the given `execution` members.
    static func execution(_ members: String) -> String {
        scenario(#""execution": {"# + members + "}")
    }

    /// A scope with one service with the given members.
    static func service(_ members: String) -> String {
        scope(#""services": [{"# + members + "}]")
    }

    /// A scope with one service named "svc" whose `ready` block has the given members.
    static func ready(_ members: String) -> String {
        service(#""name": "svc", "command": "./serve", "ready": {"# + members + "}")
    }
}

extension ScopeReader.Result {
    var errors: [ScopeIssue] { issues.filter { $0.severity == .error } }
    var warnings: [ScopeIssue] { issues.filter { $0.severity == .warning } }

    /// Issues whose path prints as `path`.
    func issues(at path: String) -> [ScopeIssue] { issues.filter { $0.path.description == path } }
}

extension JSONValue {
    /// The element at `index` of an array.
    subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The member names of an object, in document order.
    var keys: [String]? {
        guard case .object(let members) = self else { return nil }
        return members.map(\.key)
    }

    var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    var arrayValue: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    var intValue: Int? {
        guard case .number(let number) = self else { return nil }
        return number.integer
    }
}
