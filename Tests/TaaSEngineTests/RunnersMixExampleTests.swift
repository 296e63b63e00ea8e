import Foundation
import TaaSCore
import TaaSEngine
import Testing

/// examples/runners-mix in the jail: unittest, node, go and junit runners and an HTTP check with a
/// captured token, all passing; a broken HTTP expectation fails with expected and actual.
@Suite(
    .serialized,
    .enabled(
        if: HostToolchain.folderVisibleInJail("go") != nil && HostToolchain.folderVisibleInJail("node") != nil,
        "the example needs go and node under /usr or /opt"
    )
)
struct RunnersMixExampleTests {
    private static func copy() throws -> (fixture: RunFixture, scope: String) {
        let fixture = try RunFixture()
        try FileManager.default.removeItem(at: fixture.workspace)
        try FileManager.default.copyItem(
            at: TestEnvironment.packageRoot.appendingPathComponent("examples/runners-mix"),
            to: fixture.workspace
        )
        let scope = try String(contentsOf: fixture.workspace.appendingPathComponent("scope.json"), encoding: .utf8)
        return (fixture, scope)
    }

    @Test func everyRunnerPassesWithItsCases() async throws {
        let (fixture, scope) = try Self.copy()
        defer { fixture.remove() }
        let report = try await fixture.run(scope)
        #expect(report.verdict == .pass, "\(report.errors) \(report.scenarios.map { ($0.id, $0.verdict, $0.message) })")
        let counts = Dictionary(uniqueKeysWithValues: report.scenarios.map { ($0.id, $0.cases.count) })
        #expect(counts == ["PY-UNIT": 2, "JS-UNIT": 2, "GO-UNIT": 4, "SMOKE-JUNIT": 1, "API-LOGIN": 2])
    }

    @Test func aWrongExpectationFailsWithExpectedAndActual() async throws {
        let (fixture, scope) = try Self.copy()
        defer { fixture.remove() }
        let report = try await fixture.run(
            scope.replacingOccurrences(of: #""$.user": "ada""#, with: #""$.user": "bob""#)
        )
        let login = try #require(report.scenarios.first { $0.id == "API-LOGIN" })
        #expect(login.verdict == .fail)
        #expect(login.cases.map(\.verdict) == [.pass, .fail])
        #expect(login.cases.last?.message == #"json $.user: expected "bob", got "ada""#)
        #expect(report.verdict == .fail)
    }
}
