import Foundation
import TaaSCore
import TaaSEngine
import Testing

/// The pytest runner against real pytest in the jail (Debian's python3-pytest).
@Suite(.serialized) struct PytestRunnerTests {
    static let tests = """
        def test_adds():
            assert 1 + 1 == 2

        def test_breaks():
            assert "gateway" == "gatewy", "names differ"

        def test_skipped():
            import pytest
            pytest.skip("not today")
        """

    @Test func reportsEveryCaseWithItsVerdictAndMessage() async throws {
        let fixture = try RunFixture(files: ["tests/test_mix.py": Self.tests])
        defer { fixture.remove() }
        let report = try await fixture.run(
            #"{"scope_id": "py", "scenarios": [{"id": "UNIT", "execution": {"runner": "pytest", "target": "tests/test_mix.py"}}]}"#
        )
        let scenario = report.scenarios[0]
        #expect(scenario.verdict == .fail)
        #expect(scenario.cases.count == 3)
        let byName = Dictionary(uniqueKeysWithValues: scenario.cases.map { ($0.name, $0) })
        #expect(byName["test_adds"]?.verdict == .pass)
        #expect(byName["test_breaks"]?.verdict == .fail)
        #expect(byName["test_breaks"]?.message?.contains("names differ") == true)
        #expect(byName["test_skipped"]?.verdict == .skipped)
        #expect(byName["test_adds"]?.classname == "tests.test_mix")
        #expect(scenario.message?.contains("test_breaks") == true)
        #expect(
            report.summary.cases.total == 3 && report.summary.cases.failed == 1 && report.summary.cases.skipped == 1
        )
        let junit = try String(contentsOf: fixture.output.appendingPathComponent("junit.xml"), encoding: .utf8)
        #expect(junit.contains("name=\"test_breaks\""))
        #expect(junit.contains("<failure"))
    }

    @Test func targetWithNoTestsIsAnError() async throws {
        let fixture = try RunFixture(files: ["tests/test_none.py": "x = 1\n"])
        defer { fixture.remove() }
        let report = try await fixture.run(
            #"{"scope_id": "py", "scenarios": [{"id": "UNIT", "execution": {"runner": "pytest", "target": "tests/test_none.py"}}]}"#
        )
        #expect(report.scenarios[0].verdict == .error)
        #expect(report.scenarios[0].message?.contains("collected no tests") == true)
        #expect(report.verdict == .error)
    }

    @Test func missingTargetIsAnError() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            #"{"scope_id": "py", "scenarios": [{"id": "UNIT", "execution": {"runner": "pytest", "target": "tests/nope.py"}}]}"#
        )
        #expect(report.scenarios[0].verdict == .error)
    }

    @Test func passingSuitePasses() async throws {
        let fixture = try RunFixture(files: ["test_ok.py": "def test_one():\n    assert True\n"])
        defer { fixture.remove() }
        let report = try await fixture.run(
            #"{"scope_id": "py", "scenarios": [{"id": "UNIT", "execution": {"runner": "pytest", "target": "test_ok.py"}}]}"#
        )
        #expect(report.verdict == .pass)
        #expect(report.scenarios[0].cases.map(\.verdict) == [.pass])
        #expect(!FileManager.default.fileExists(atPath: fixture.workspace.appendingPathComponent(".pytest_cache").path))
    }
}
