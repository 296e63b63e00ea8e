import Foundation
import TaaSCore
import Testing

@testable import TaaSIntegrity

/// The run-time side of the test ledger: every ledger case must come back with a result.
@Suite struct LedgerCheckTests {
    static let ledger = ScenarioLedger(
        runner: "pytest",
        cases: [
            LedgerCase(id: "tests/test_core.py::test_allows"),
            LedgerCase(id: "tests/test_core.py::TestBucket::test_refills[1-2]"),
            LedgerCase(id: "tests/test_core.py::test_later", mayNotRun: ["skipif"]),
            LedgerCase(id: "tests/sub/test_x.py::test_x"),
        ]
    )

    static func passed(_ classname: String, _ name: String) -> CaseResult {
        CaseResult(name: name, classname: classname, verdict: .pass, durationMS: 1)
    }

    static let everyCase = [
        passed("tests.test_core", "test_allows"),
        passed("tests.test_core.TestBucket", "test_refills[1-2]"),
        CaseResult(
            name: "test_later",
            classname: "tests.test_core",
            verdict: .skipped,
            durationMS: 0,
            message: "later"
        ),
        passed("tests.sub.test_x", "test_x"),
    ]

    @Test(arguments: [
        ("tests/test_core.py::test_a", "tests.test_core", "test_a"),
        ("tests/test_core.py::K::test_a[x::y/z.py]", "tests.test_core.K", "test_a[x::y/z.py]"),
        ("test_top.py::test_a", "test_top", "test_a"),
        ("pkg/mod.py", "", "pkg.mod"),
    ])
    func nodeIDsMapToPytestsJUnitNames(id: String, classname: String, name: String) {
        #expect(LedgerCheck.key(forLedgerID: id, runner: "pytest") == classname + "\u{0}" + name)
    }

    @Test func aCompleteRunHasNothingMissing() {
        let check = LedgerCheck.compare(Self.ledger, with: Self.everyCase)
        #expect(check.missing.isEmpty)
        #expect(check.unlisted.isEmpty)
    }

    @Test func aDeselectedCaseIsNamedWithItsMechanism() {
        let check = LedgerCheck.compare(
            Self.ledger,
            with: Array(Self.everyCase.dropFirst()),
            output: "3 passed, 1 deselected in 0.02s"
        )
        #expect(
            check.missing.map(\.description) == [
                "law case not executed: tests/test_core.py::test_allows (deselected: the run deselected cases (-k, -m, addopts or a plugin))"
            ]
        )
    }

    @Test func aCaseSkippedWithoutAMarkerIsMissingAndOneWithAMarkerIsNot() {
        var cases = Self.everyCase
        cases[0].verdict = .skipped
        cases[0].message = "Skipped: from the code"
        let check = LedgerCheck.compare(Self.ledger, with: cases)
        #expect(check.missing.map(\.id) == ["tests/test_core.py::test_allows"])
        #expect(check.missing.first?.mechanism.contains("Skipped: from the code") == true)
    }

    @Test func aCaseThatIsNotInTheLedgerIsUnlisted() {
        let check = LedgerCheck.compare(Self.ledger, with: Self.everyCase + [Self.passed("tests.test_new", "test_new")])
        #expect(check.missing.isEmpty)
        #expect(check.unlisted == ["tests.test_new::test_new"])
    }

    @Test func aScenarioThatCouldNotBeListedIsNotChecked() {
        let check = LedgerCheck.compare(ScenarioLedger(runner: "go", unlisted: "cannot list"), with: [])
        #expect(check == LedgerCheck(missing: [], unlisted: []))
    }

    @Test func theLedgerIsPartOfTheLockAndOldLocksStillRead() throws {
        let workspace = try Workspace(["tests/test_a.py": "def test_a(): pass\n"])
        defer { workspace.remove() }
        let scope = try Workspace.scope(
            #"{"scope_id": "s", "scenarios": [{"id": "A", "execution": {"runner": "pytest", "target": "tests"}}]}"#
        )
        var lock = try ScopeLock.make(for: scope, workspace: workspace.root)
        let without = lock.fingerprint
        lock.ledger = TestLedger(scenarios: [
            "A": ScenarioLedger(runner: "pytest", cases: [LedgerCase(id: "tests/test_a.py::test_a")])
        ])
        #expect(lock.fingerprint != without)
        let url = workspace.root.appendingPathComponent("scope.lock.json")
        try lock.jsonData().write(to: url)
        #expect(try ScopeLock.read(from: url) == lock)
        #expect(String(decoding: try Data(contentsOf: url), as: UTF8.self).contains("\"ledger\""))

        // A version 1 lock (no ledger) is read, and its check carries no ledger.
        try Data(
            #"{"lock_version": 1, "scope_id": "s", "scope_fingerprint": "x", "locked_patterns": [], "files": []}"#.utf8
        )
        .write(to: url)
        let old = try ScopeLock.read(from: url)
        #expect(old.ledger == nil)
        let check = try LockVerifier.verify(
            scope,
            scopeFile: "scope.json",
            workspace: workspace.root,
            against: old,
            lockFile: url
        )
        #expect(check.ledger == nil)
        #expect(check.status == .mismatch)
        #expect(check.problem?.contains("lock_version 1") == true)
    }
}
