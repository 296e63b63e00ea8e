import Foundation
import TaaSCore
import TaaSEngine
import TaaSSandboxes
import Testing

/// The bundled pilot example in the venv sandbox: it passes, and breaking its code makes it fail
/// with the failing case named.
@Suite(.serialized) struct ExampleTests {
    /// A copy of examples/pilot-api, so that the test can break it.
    static func pilotCopy() throws -> (fixture: RunFixture, scope: String) {
        let fixture = try RunFixture()
        try FileManager.default.removeItem(at: fixture.workspace)
        try FileManager.default.copyItem(
            at: TestEnvironment.packageRoot.appendingPathComponent("examples/pilot-api"),
            to: fixture.workspace
        )
        let scope = try String(contentsOf: fixture.workspace.appendingPathComponent("scope.json"), encoding: .utf8)
        return (fixture, scope)
    }

    @Test func pilotPassesInTheVenvSandbox() async throws {
        let (fixture, scope) = try Self.pilotCopy()
        defer { fixture.remove() }
        let report = try await fixture.run(scope, sandbox: VenvSandbox())
        #expect(report.verdict == .pass, "\(report.errors) \(report.scenarios.map { ($0.id, $0.verdict, $0.message) })")
        #expect(report.sandbox.kind == "venv")
        #expect(report.sandbox.settings["venv_key"] != nil)
        #expect(report.services.first?.ready == true)
        #expect(report.scenarios.first?.cases.count ?? 0 > 5)
    }

    @Test func brokenGatewayCodeFailsNamingTheCase() async throws {
        let (fixture, scope) = try Self.pilotCopy()
        defer { fixture.remove() }
        let core = fixture.workspace.appendingPathComponent("gateway/core.py")
        let source = try String(contentsOf: core, encoding: .utf8)
        try source.replacingOccurrences(of: "name.strip().lower()", with: "name.strip()").write(
            to: core,
            atomically: true,
            encoding: .utf8
        )
        let report = try await fixture.run(scope, sandbox: VenvSandbox())
        #expect(report.verdict == .fail)
        let unit = try #require(report.scenarios.first { $0.id == "UNIT-001" })
        #expect(unit.verdict == .fail)
        #expect(unit.cases.contains { $0.verdict == .fail && $0.name.contains("normalize_headers") })
    }

    @Test func dependencyThatCannotBeInstalledIsAnErrorNamingIt() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "deps", "environment": {"type": "venv", "dependencies": ["taas-no-such-package-0d5e==9.9.9"]},
             "scenarios": [{"id": "S", "command": "true"}]}
            """,
            sandbox: VenvSandbox()
        )
        #expect(report.verdict == .error)
        #expect(report.errors.contains { $0.phase == "sandbox" && $0.message.contains("taas-no-such-package-0d5e") })
        #expect(report.scenarios[0].verdict == .skipped)
    }
}
