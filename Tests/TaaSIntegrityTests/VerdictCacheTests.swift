import Foundation
import TaaSCore
import TaaSIntegrity
import Testing

@Suite struct VerdictCacheTests {
    static func report(verdict: Verdict = .pass, flaky: Bool = false, errors: [RunError] = []) -> TaaSReport {
        TaaSReport(
            runID: "run-1",
            scopeID: "s",
            scopeFingerprint: "sha256:0",
            verdict: verdict,
            startedAt: Date(),
            finishedAt: Date(),
            taasVersion: "0.1.0",
            sandbox: SandboxDescription(kind: "jail", settings: [:]),
            scenarios: [
                ScenarioResult(id: "A", type: "unit", verdict: verdict == .error ? .error : verdict, flaky: flaky)
            ],
            errors: errors
        )
    }

    @Test func onlyCleanPassesAndFailsAreCacheable() {
        #expect(VerdictCache.isCacheable(Self.report(verdict: .pass)))
        #expect(VerdictCache.isCacheable(Self.report(verdict: .fail)))
        #expect(!VerdictCache.isCacheable(Self.report(verdict: .pass, flaky: true)))
        #expect(!VerdictCache.isCacheable(Self.report(verdict: .error)))
        #expect(
            !VerdictCache.isCacheable(Self.report(verdict: .fail, errors: [RunError(phase: "teardown", message: "x")]))
        )
    }

    @Test func aStoredReportIsFoundByItsKeyOnly() throws {
        let workspace = try Workspace(["logs/UNIT.stdout.log": "output\n"])
        defer { workspace.remove() }
        let cache = VerdictCache(root: workspace.root.appendingPathComponent("cache"))
        let key = VerdictCacheKey(parts: ["scope_fingerprint": "sha256:1", "workspace_digest": "sha256:2"])
        let report = Self.report(verdict: .fail)
        #expect(try cache.store(report, logs: workspace.root.appendingPathComponent("logs"), key: key))
        let hit = try #require(cache.lookup(key))
        #expect(hit.report.verdict == .fail)
        #expect(hit.entry.runID == "run-1")
        #expect(FileManager.default.fileExists(atPath: hit.logs.appendingPathComponent("UNIT.stdout.log").path))
        #expect(
            cache.lookup(VerdictCacheKey(parts: ["scope_fingerprint": "sha256:1", "workspace_digest": "sha256:3"]))
                == nil
        )
        #expect(cache.entries().map(\.key) == [key.digest])
        #expect(try cache.clear() == 1)
        #expect(cache.lookup(key) == nil)
    }

    @Test func aFlakyReportIsNeverStored() throws {
        let workspace = try Workspace([:])
        defer { workspace.remove() }
        let cache = VerdictCache(root: workspace.root.appendingPathComponent("cache"))
        let key = VerdictCacheKey(parts: ["a": "b"])
        #expect(try cache.store(Self.report(flaky: true), logs: workspace.root, key: key) == false)
        #expect(cache.lookup(key) == nil)
    }

    @Test func theWorkspaceDigestFollowsGitignoreAndIntegrityIgnore() async throws {
        let workspace = try Workspace([
            ".gitignore": "build/\n*.log\n",
            "app.py": "VALUE = 1\n",
            "tests/test_app.py": "def test(): pass\n",
            "build/out.bin": "x",
            "debug.log": "x",
            "notes/todo.md": "x",
        ])
        defer { workspace.remove() }
        let digest = WorkspaceDigest(workspace: workspace.root, ignored: [GlobPattern("notes")])
        #expect(try await digest.files() == [".gitignore", "app.py", "tests/test_app.py"])
        let before = try await digest.compute()
        try workspace.write("build/out.bin", "y")
        try workspace.write("notes/todo.md", "y")
        #expect(try await digest.compute() == before)
        try workspace.write("app.py", "VALUE = 2\n")
        let changed = try await digest.compute()
        #expect(changed != before)
        try workspace.write("app.py", "VALUE = 1\n")
        #expect(try await digest.compute() == before)
        try workspace.write("tests/new_test.py", "")
        #expect(try await digest.compute() != before)
    }

    @Test func theKeyCoversEveryPart() {
        let key = VerdictCacheKey(parts: ["a": "1", "b": "2"])
        #expect(key.digest == VerdictCacheKey(parts: ["b": "2", "a": "1"]).digest)
        #expect(key.digest != VerdictCacheKey(parts: ["a": "1", "b": "3"]).digest)
        #expect(key.digest != VerdictCacheKey(parts: ["a": "1"]).digest)
    }
}
