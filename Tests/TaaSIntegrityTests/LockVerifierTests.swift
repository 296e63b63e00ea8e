import Foundation
import TaaSCore
import TaaSIntegrity
import Testing

/// The tampering scenarios of the issue: each is caught, and the change names what changed.
@Suite struct LockVerifierTests {
    static let scopeJSON =
        #"{"scope_id": "law", "scenarios": [{"id": "UNIT", "execution": {"runner": "pytest", "target": "tests"}}]}"#
    static let files = [
        "tests/test_core.py": "def test_core():\n    assert 1 + 1 == 2\n",
        "tests/test_more.py": "def test_more():\n    assert True\n",
        "app.py": "VALUE = 1\n",
    ]

    func verify(_ workspace: Workspace, scope: TestScope, lock: ScopeLock) throws -> LockCheck {
        try LockVerifier.verify(
            scope,
            scopeFile: "scope.json",
            workspace: workspace.root,
            against: lock,
            lockFile: workspace.root.appendingPathComponent("scope.lock.json")
        )
    }

    func locked() throws -> (Workspace, TestScope, ScopeLock) {
        let workspace = try Workspace(Self.files)
        let scope = try Workspace.scope(Self.scopeJSON)
        return (workspace, scope, try ScopeLock.make(for: scope, workspace: workspace.root))
    }

    @Test func anUntouchedLawIsVerified() throws {
        let (workspace, scope, lock) = try locked()
        defer { workspace.remove() }
        let check = try verify(workspace, scope: scope, lock: lock)
        #expect(check.status == .verified)
        #expect(check.changes.isEmpty)
        #expect(check.fingerprint == lock.fingerprint)
        #expect(check.files.map(\.path) == ["#pytest-configuration:UNIT", "tests/test_core.py", "tests/test_more.py"])
    }

    @Test func theCodeUnderTestMayChange() throws {
        let (workspace, scope, lock) = try locked()
        defer { workspace.remove() }
        try workspace.write("app.py", "VALUE = 2\n")
        #expect(try verify(workspace, scope: scope, lock: lock).status == .verified)
    }

    @Test func anEditedTestIsCaught() throws {
        let (workspace, scope, lock) = try locked()
        defer { workspace.remove() }
        try workspace.write("tests/test_core.py", "def test_core():\n    assert True\n")
        let check = try verify(workspace, scope: scope, lock: lock)
        #expect(check.status == .mismatch)
        #expect(check.changes.map(\.description) == ["tests/test_core.py changed"])
        #expect(check.changes.first?.expected == lock.files.first { $0.path == "tests/test_core.py" }?.digest)
    }

    @Test func aConftestThatForcesPassesIsCaught() throws {
        let (workspace, scope, lock) = try locked()
        defer { workspace.remove() }
        try workspace.write(
            "conftest.py",
            """
            import pytest
            @pytest.hookimpl(hookwrapper=True)
            def pytest_runtest_makereport(item, call):
                outcome = yield
                outcome.get_result().outcome = "passed"
            """
        )
        let check = try verify(workspace, scope: scope, lock: lock)
        #expect(check.changes == [LockChange(path: "conftest.py", change: .added, actual: check.changes.first?.actual)])
        #expect(check.changeSummary == "conftest.py was added")
    }

    @Test func aDeletedTestIsCaught() throws {
        let (workspace, scope, lock) = try locked()
        defer { workspace.remove() }
        try workspace.delete("tests/test_more.py")
        #expect(try verify(workspace, scope: scope, lock: lock).changeSummary == "tests/test_more.py is missing")
    }

    @Test func oneChangedByteOfTheScopeIsCaught() throws {
        let (workspace, _, lock) = try locked()
        defer { workspace.remove() }
        let edited = try Workspace.scope(Self.scopeJSON.replacingOccurrences(of: "\"law\"", with: "\"lav\""))
        let check = try verify(workspace, scope: edited, lock: lock)
        #expect(check.status == .mismatch)
        #expect(check.changeSummary == "scope.json changed")
    }

    @Test func aScopeThatDropsALockedGlobStillHasThoseFilesChecked() throws {
        let workspace = try Workspace(Self.files.merging(["data/golden.json": "{}"]) { $1 })
        defer { workspace.remove() }
        let withGlob = try Workspace.scope(
            #"{"scope_id": "law", "integrity": {"locked": ["data/*.json"]}, "scenarios": [{"id": "UNIT", "execution": {"runner": "pytest", "target": "tests"}}]}"#
        )
        let lock = try ScopeLock.make(for: withGlob, workspace: workspace.root)
        try workspace.write("data/golden.json", "{\"changed\": true}")
        let check = try verify(workspace, scope: try Workspace.scope(Self.scopeJSON), lock: lock)
        #expect(check.changes.map(\.description).sorted() == ["data/golden.json changed", "scope.json changed"])
    }

    @Test func theLockFileRoundTripsAndItsFingerprintIsStable() throws {
        let (workspace, scope, lock) = try locked()
        defer { workspace.remove() }
        let url = workspace.root.appendingPathComponent("scope.lock.json")
        try lock.jsonData().write(to: url)
        let read = try ScopeLock.read(from: url)
        #expect(read == lock)
        #expect(read.fingerprint == lock.fingerprint)
        #expect(try ScopeLock.make(for: scope, workspace: workspace.root).fingerprint == lock.fingerprint)
        #expect(ScopeLock.url(forScope: URL(fileURLWithPath: "/x/scope.json")).path == "/x/scope.lock.json")
    }

    @Test func aDamagedLockIsAnErrorThatSaysWhatToDo() throws {
        let workspace = try Workspace(["scope.lock.json": "{\"lock_version\": 1"])
        defer { workspace.remove() }
        #expect {
            try ScopeLock.read(from: workspace.root.appendingPathComponent("scope.lock.json"))
        } throws: { error in
            "\(error)".contains("is not a valid lock file") && "\(error)".contains("taas lock")
        }
    }
}
