import Foundation
import TaaSCore
import TaaSEngine
import TaaSSandboxes

/// A temporary workspace with a scope, run through the real harness and the real sandbox.
struct RunFixture {
    let root: URL
    let workspace: URL
    let output: URL

    init(files: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("taas-test-\(UUID().uuidString)")
        workspace = root.appendingPathComponent("workspace")
        output = root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        for (path, content) in files {
            let url = workspace.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    /// Parses a scope given as JSON text; fails the test when it is invalid.
    static func scope(_ json: String) throws -> TestScope {
        try TestScope.parse(Data(json.utf8)).scope
    }

    /// Runs the scope in a sandbox (the jail unless told otherwise), offline (tests never pull an
    /// image), with `limits` over the scope's.
    func run(
        _ json: String,
        sandbox: any Sandbox = JailSandbox(),
        limits: ResourceLimits? = nil,
        jobs: Int = 1,
        logLimitBytes: Int = 32 * 1024 * 1024,
        interruption: RunInterruption = RunInterruption(),
        observer: any RunObserver = SilentObserver(),
        configure: (inout RunOptions) -> Void = { _ in }
    ) async throws -> TaaSReport {
        let scope = try Self.scope(json)
        var options = RunOptions(
            workspace: workspace,
            outputDirectory: output,
            sandbox: sandbox,
            jobs: jobs,
            cacheDirectory: TestEnvironment.cacheDirectory,
            logLimitBytes: logLimitBytes,
            allowUnsafeLocal: true
        )
        options.offline = true
        options.limits = limits
        configure(&options)
        return await Harness(options: options).execute(scope, observer: observer, interruption: interruption)
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}

enum TestEnvironment {
    /// A cache shared by the tests of one machine (virtualenvs are slow to make).
    static var cacheDirectory: URL {
        if let explicit = ProcessInfo.processInfo.environment["TAAS_CACHE_DIR"] {
            return URL(fileURLWithPath: explicit)
        }
        return getuid() == 0
            ? URL(fileURLWithPath: "/var/cache/maestro-taas")
            : FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/maestro-taas")
    }

    /// The package's root folder.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The `taas` executable built next to the test bundle.
    static var taasBinary: URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("taas")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/taas")
    }

    /// Host processes whose command line contains `marker`.
    static func processes(matching marker: String) -> [Int32] {
        let own = getpid()
        return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard let pid = Int32(entry), pid != own,
                let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
            else { return nil }
            let command = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return command.contains(marker) ? pid : nil
        }
    }

    /// Sandbox folders of a run that are still on disk.
    static func leftoverFolders(runID: String) -> Bool {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        return FileManager.default.fileExists(atPath: "\(base)/taas-\(runID)")
    }
}
