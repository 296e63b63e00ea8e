import Foundation
import TaaSCore
import Testing

/// Locks, signed reports and the verdict cache, through the `taas` executable and the real jail.
@Suite(.serialized) struct IntegrityTests {
    static let scope = """
        {"scope_id": "judged", "scenarios": [{"id": "UNIT", "execution": {"runner": "pytest", "target": "tests"}}]}
        """
    static let files = [
        "scope.json": scope,
        "app.py": "def add(a, b):\n    return a - b\n",
        "tests/test_app.py":
            "from app import add\n\ndef test_add():\n    assert add(2, 2) == 4\n\ndef test_zero():\n    assert add(0, 0) == 0\n",
    ]

    func taas(_ fixture: RunFixture, _ arguments: [String]) throws -> CommandLineTests.Result {
        try CommandLineTests.taas(arguments, in: fixture.workspace)
    }

    func report(_ fixture: RunFixture, out: String = "out") throws -> TaaSReport {
        try TaaSReport.decode(from: Data(contentsOf: fixture.root.appendingPathComponent("\(out)/report.json")))
    }

    func run(
        _ fixture: RunFixture,
        out: String = "out",
        _ extra: [String] = []
    ) throws -> (CommandLineTests.Result, TaaSReport) {
        let result = try taas(fixture, ["run", "scope.json", "--sandbox", "jail", "--out", "../\(out)"] + extra)
        return (result, try report(fixture, out: out))
    }

    @Test func aLockedLawRunsAndATamperedOneStopsTheRunNamingEveryChange() throws {
        let fixture = try RunFixture(files: Self.files)
        defer { fixture.remove() }
        let lock = try taas(fixture, ["lock", "scope.json"])
        #expect(lock.status == 0, "\(lock.stderr)")
        #expect(lock.stdout.contains("locked 1 file(s)"))

        let (honest, honestReport) = try run(fixture)
        #expect(honest.status == 1)
        #expect(honestReport.lockStatus == .verified)
        #expect(honestReport.lockedFiles?.map(\.path) == ["#pytest-configuration:UNIT", "tests/test_app.py"])
        #expect(honestReport.lockFingerprint?.hasPrefix("sha256:") == true)
        #expect(honestReport.scenarios.first?.cases.count == 2)

        // The defendant makes the failing test pass by editing it and by forcing outcomes in a conftest.
        try "def test_add():\n    assert True\n".write(
            to: fixture.workspace.appendingPathComponent("tests/test_app.py"),
            atomically: true,
            encoding: .utf8
        )
        try """
        import pytest
        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_makereport(item, call):
            outcome = yield
            outcome.get_result().outcome = "passed"
        """.write(to: fixture.workspace.appendingPathComponent("conftest.py"), atomically: true, encoding: .utf8)
        let (tampered, tamperedReport) = try run(fixture)
        #expect(tampered.status == 2)
        #expect(tamperedReport.verdict == .error)
        #expect(tamperedReport.lockStatus == .mismatch)
        #expect(
            tamperedReport.lockChanges?.map(\.description) == ["tests/test_app.py changed", "conftest.py was added"]
        )
        #expect(tamperedReport.scenarios.map(\.verdict) == [.skipped])
        #expect(tamperedReport.errors.first?.message.contains("nothing ran") == true)
        #expect(tampered.stdout.contains("conftest.py was added"))

        // --no-lock runs anyway, loudly, and says so in the report.
        let (skipped, skippedReport) = try run(fixture, ["--no-lock"])
        #expect(skipped.stderr.contains("WARNING: --no-lock"))
        #expect(skippedReport.lockStatus == .skipped)
        #expect(skippedReport.verdict == .pass)
    }

    @Test func aRequiredLockThatIsMissingIsAnError() throws {
        let fixture = try RunFixture(files: Self.files)
        defer { fixture.remove() }
        let (result, report) = try run(fixture, ["--require-lock"])
        #expect(result.status == 2)
        #expect(report.lockStatus == .mismatch)
        #expect(report.errors.first?.message.contains("does not exist") == true)
        let (plain, plainReport) = try run(fixture)
        #expect(plain.status == 1)
        #expect(plainReport.lockStatus == .absent)
        #expect(plainReport.lockedFiles == nil)
    }

    @Test func aSignedReportVerifiesAndAnEditedOneIsRejectedWithWhatChanged() throws {
        let fixture = try RunFixture(files: Self.files)
        defer { fixture.remove() }
        let keygen = try taas(fixture, ["keygen", "--output", "../key"])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let (result, _) = try run(fixture, ["--sign", "../key"])
        #expect(result.status == 1)
        let reportURL = fixture.root.appendingPathComponent("out/report.json")
        let good = try taas(fixture, ["verify", reportURL.path, "--key", "../key.pub"])
        #expect(good.status == 0, "\(good.stdout) \(good.stderr)")
        #expect(good.stdout.contains("OK"))

        let text = try String(contentsOf: reportURL, encoding: .utf8)
        let flipped = text.replacingOccurrences(
            of: "\n  \"verdict\": \"fail\",\n",
            with: "\n  \"verdict\": \"pass\",\n"
        )
        #expect(flipped != text)
        try flipped.write(to: reportURL, atomically: true, encoding: .utf8)
        let bad = try taas(fixture, ["verify", reportURL.path, "--key", "../key.pub"])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains(#"verdict: signed "fail", now "pass""#))

        let wrongKey = try taas(fixture, ["verify", reportURL.path, "--key", "../key"])
        #expect(wrongKey.status == 2)
        #expect(wrongKey.stderr.contains("not a PEM public key"))
    }

    @Test func anIdenticalRunIsServedFromTheCacheAndOneChangedByteIsNot() throws {
        let fixture = try RunFixture(files: Self.files)
        defer { fixture.remove() }
        let cacheDir = fixture.root.appendingPathComponent("cache").path
        let (first, firstReport) = try run(fixture, out: "out1", ["--cache", "--cache-dir", cacheDir])
        #expect(first.status == 1)
        #expect(firstReport.cached == nil)

        let (second, secondReport) = try run(fixture, out: "out2", ["--cache", "--cache-dir", cacheDir])
        #expect(second.status == 1)
        #expect(secondReport.cached == true)
        #expect(secondReport.cachedFrom == firstReport.runID)
        #expect(secondReport.runID != firstReport.runID)
        #expect(secondReport.verdict == firstReport.verdict)
        #expect(secondReport.scenarios == firstReport.scenarios)
        #expect(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("out2/junit.xml").path))

        try "def add(a, b):\n    return a + b\n".write(
            to: fixture.workspace.appendingPathComponent("app.py"),
            atomically: true,
            encoding: .utf8
        )
        let (third, thirdReport) = try run(fixture, out: "out3", ["--cache", "--cache-dir", cacheDir])
        #expect(third.status == 0)
        #expect(thirdReport.cached == nil)
        #expect(thirdReport.verdict == .pass)

        let list = try taas(fixture, ["cache", "ls", "--cache-dir", cacheDir])
        #expect(list.stdout.contains("2 verdict(s)"))
        // No engine for this clear: it would remove the environment images that Docker tests running
        // at the same time have just made.
        let clear = try CommandLineTests.taas(
            ["cache", "clear", "--cache-dir", cacheDir],
            in: fixture.workspace,
            environment: ["DOCKER_HOST": "unix:///nonexistent/docker.sock"]
        )
        #expect(clear.stdout.contains("removed 2 verdict(s)"))
    }

    @Test func aFlakyRunIsNeverServedFromTheCache() throws {
        let fixture = try RunFixture(files: [
            "scope.json": """
            {"scope_id": "flaky", "scenarios": [{"id": "F", "retry_policy": {"attempts": 2, "backoff": "none"},
              "command": "if [ -e /tmp/once ]; then exit 0; else touch /tmp/once; exit 1; fi"}]}
            """
        ])
        defer { fixture.remove() }
        let cacheDir = fixture.root.appendingPathComponent("cache").path
        let (_, first) = try run(fixture, out: "out1", ["--cache", "--cache-dir", cacheDir])
        #expect(first.scenarios.first?.flaky == true)
        let (_, second) = try run(fixture, out: "out2", ["--cache", "--cache-dir", cacheDir])
        #expect(second.cached == nil)
        #expect(second.scenarios.first?.flaky == true)
    }
}
