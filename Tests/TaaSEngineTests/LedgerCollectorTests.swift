import Foundation
import TaaSCore
import TaaSEngine
import TaaSSandboxes
import Testing

/// The test ledger listed in the real jail with real pytest and unittest, and checked by a real run.
@Suite(.serialized) struct LedgerCollectorTests {
    static let files = [
        "tests/test_p.py": """
        import pytest

        @pytest.mark.parametrize("n", [1, 2])
        def test_param(n):
            assert n

        @pytest.mark.skipif(True, reason="never here")
        def test_skipped():
            pass

        class TestK:
            def test_method(self):
                pass

        """,
        "ut/test_u.py": """
        import unittest

        class TestA(unittest.TestCase):
            def test_one(self):
                pass

            @unittest.skip("not now")
            def test_two(self):
                pass

        """,
    ]

    static let scope = """
        {"scope_id": "ledger", "scenarios": [
          {"id": "PY", "execution": {"runner": "pytest", "target": "tests"}},
          {"id": "UT", "execution": {"runner": "unittest", "target": "ut"}},
          {"id": "NODE", "execution": {"runner": "node", "target": "test"}}]}
        """

    func locked(_ fixture: RunFixture) async throws -> (TestScope, RunOptions, TestLedger) {
        let scope = try RunFixture.scope(Self.scope)
        let options = RunOptions(
            workspace: fixture.workspace,
            outputDirectory: fixture.output,
            sandbox: JailSandbox(),
            cacheDirectory: TestEnvironment.cacheDirectory
        )
        return (scope, options, try await LedgerCollector(options: options).collect(scope))
    }

    @Test func pytestAndUnittestCasesAreListedWithTheirSkipMarkersAndNodeSaysItCannotList() async throws {
        let fixture = try RunFixture(files: Self.files)
        defer { fixture.remove() }
        let (_, _, ledger) = try await locked(fixture)
        #expect(
            ledger.scenarios["PY"]?.cases == [
                LedgerCase(id: "tests/test_p.py::TestK::test_method"),
                LedgerCase(id: "tests/test_p.py::test_param[1]"),
                LedgerCase(id: "tests/test_p.py::test_param[2]"),
                LedgerCase(id: "tests/test_p.py::test_skipped", mayNotRun: ["skipif"]),
            ]
        )
        #expect(
            ledger.scenarios["UT"]?.cases == [
                LedgerCase(id: "test_u.TestA::test_one"), LedgerCase(id: "test_u.TestA::test_two", mayNotRun: ["skip"]),
            ]
        )
        #expect(ledger.scenarios["NODE"]?.cases == nil)
        #expect(ledger.scenarios["NODE"]?.unlisted?.contains("cannot list") == true)
    }

    @Test func anHonestRunMatchesItsLedgerAndAMissingCaseIsNamed() async throws {
        let fixture = try RunFixture(files: Self.files)
        defer { fixture.remove() }
        var (scope, options, ledger) = try await locked(fixture)
        scope.scenarios.removeAll { $0.id == "NODE" }
        options.lockCheck = LockCheck(status: .verified, ledger: ledger)
        let honest = await Harness(options: options).execute(scope)
        #expect(honest.verdict == .pass, "\(honest.scenarios.map { "\($0.id): \($0.message ?? "")" })")

        // A case the ledger holds but the workspace no longer has (the lock's file check aside).
        ledger.scenarios["UT"]?.cases?.append(LedgerCase(id: "test_u.TestA::test_gone"))
        options.lockCheck = LockCheck(status: .verified, ledger: ledger)
        let report = await Harness(options: options).execute(scope)
        #expect(report.verdict == .error)
        #expect(
            report.scenarios.first { $0.id == "UT" }?.message?.contains(
                "law case not executed: test_u.TestA::test_gone"
            ) == true
        )
    }
}
