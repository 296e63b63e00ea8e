import Foundation
import TaaSCore
import TaaSEngine
import TaaSIntegrity
import TaaSTesting

/// The labelled workspaces of `examples/heal-lab`, copied and run for real (pytest in the jail).
enum HealLab {
    static let folder = TestTools.repositoryRoot.appending(path: "examples/heal-lab")

    /// Each workspace's name and expected class, from `labels.json`.
    static var labels: [String: String] {
        guard let data = FileManager.default.contents(atPath: folder.appending(path: "labels.json").path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: [String: String]]
        else { return [:] }
        return object.compactMapValues { $0["class"] }
    }

    static var names: [String] { labels.keys.sorted() }

    /// A cache shared by the tests of one machine (virtualenvs and the agent are slow to make).
    static var cacheDirectory: URL {
        if let explicit = ProcessInfo.processInfo.environment["TAAS_CACHE_DIR"] {
            return URL(fileURLWithPath: explicit)
        }
        return getuid() == 0
            ? URL(fileURLWithPath: "/var/cache/maestro-taas")
            : FileManager.default.homeDirectoryForCurrentUser.appending(path: ".cache/maestro-taas")
    }
}

/// A copy of one heal-lab workspace in a temporary folder, with its run's output folder beside it.
struct LabRun {
    let root: URL
    let workspace: URL
    let output: URL

    init(_ name: String) throws {
        root = FileManager.default.temporaryDirectory.appending(path: "taas-heal-\(name)-\(UUID().uuidString)")
        workspace = root.appending(path: "workspace")
        output = root.appending(path: "out")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: HealLab.folder.appending(path: name), to: workspace)
    }

    var scopeFile: URL { workspace.appending(path: "scope.json") }
    var reportFile: URL { output.appending(path: "report.json") }

    /// Runs the scope through the engine's public API, in the jail, offline.
    @discardableResult
    func run(into output: URL? = nil) async throws -> TaaSReport {
        let (scope, _) = try Judge.loadScope(at: scopeFile)
        var request = RunRequest(scopeFile: scopeFile, workspace: workspace, outputDirectory: output ?? self.output)
        request.options.offline = true
        request.options.cacheDirectory = HealLab.cacheDirectory
        return try await Judge.run(scope, request).report
    }

    /// Writes `scope.lock.json` as `taas lock` does.
    func lock() throws {
        let (scope, _) = try Judge.loadScope(at: scopeFile)
        let lock = try ScopeLock.make(for: scope, workspace: workspace)
        try lock.jsonData().write(to: ScopeLock.url(forScope: scopeFile))
    }

    func write(_ text: String, to path: String) throws {
        try text.write(to: workspace.appending(path: path), atomically: true, encoding: .utf8)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: workspace.appending(path: path), encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}
