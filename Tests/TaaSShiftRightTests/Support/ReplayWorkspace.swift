import Foundation
import TaaSCore
import TaaSEngine
import TaaSShiftRight

/// A temporary workspace with `shop.py` and a scope whose service `shop` runs it in the jail, on
/// port 8000 of the sandbox's own loopback, as `--build good` or `--build changed`.
struct ReplayWorkspace {
    let root: URL
    let workspace: URL
    let output: URL
    var scopeFile: URL { workspace.appendingPathComponent("scope.json") }

    init(root: URL, build: String) throws {
        self.root = root
        workspace = root.appendingPathComponent("workspace-\(build)")
        output = root.appendingPathComponent("out-\(build)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: ShopRecording.shop, to: workspace.appendingPathComponent("shop.py"))
        try """
        {"scope_id": "shop-replay", "environment": {"type": "jail"},
         "services": [{"name": "shop", "command": "python3 shop.py 8000 --build \(build)",
                       "ready": {"http": "http://127.0.0.1:8000/health", "timeout_seconds": 30}}],
         "scenarios": [{"id": "SMOKE", "command": "true"}]}
        """.write(to: scopeFile, atomically: true, encoding: .utf8)
    }

    /// The cache the tests of this machine share (the sandbox's agent is slow to build).
    static var cacheDirectory: URL {
        if let explicit = ProcessInfo.processInfo.environment["TAAS_CACHE_DIR"] {
            return URL(fileURLWithPath: explicit)
        }
        return getuid() == 0
            ? URL(fileURLWithPath: "/var/cache/maestro-taas")
            : FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/maestro-taas")
    }

    /// The noise rules of these tests: the defaults, and `$.took_ms` ignored. It is noise by nature
    /// (a duration), but two replays may happen to measure the same one, and then it is, rightly,
    /// a difference from the recording that both replays show.
    static let rules = NoiseRules(ignore: [try! JSONPathPattern("$.took_ms")])

    /// The same rules as a `--noise` file.
    static let rulesFile = #"{"ignore": ["$.took_ms"]}"#

    /// Replays `har` against the service through the real engine and the jail.
    func replay(_ har: URL, rules: NoiseRules = ReplayWorkspace.rules) async throws -> ReplayOutcome {
        let (scope, _) = try Judge.loadScope(at: scopeFile)
        let exchanges = try HAR.load(from: har.path).exchanges(file: har.path)
        let plan = try ReplayPlan(scope: scope, exchanges: exchanges, service: "shop")
        var request = RunRequest(scopeFile: scopeFile, outputDirectory: output)
        request.options.sandboxKind = "jail"
        request.options.cacheDirectory = Self.cacheDirectory
        request.options.offline = true
        let prepared = try Judge.prepare(scope, request)
        return try await Replay.run(plan, prepared: prepared, rules: rules, recording: har.path)
    }
}
