import Foundation
import TaaSCore
import TaaSIntegrity

/// What the Diagnoser may look at besides the report: the workspace as judged (its manifest),
/// the workspace itself (for code around frames and close matches), the scope (dependencies,
/// services), what changed since a passing run, and earlier runs.
public struct DiagnosisContext: Sendable {
    /// The workspace as the run judged it (`manifest.json` beside the report).
    public var manifest: WorkspaceManifest?
    /// The workspace folder, when given: code excerpts and close matches are read from it.
    public var workspace: URL?
    /// The scope, when it could be read: its dependencies and services are evidence.
    public var scope: TestScope?
    /// Files changed since the baseline (a passing run's manifest, or git's `HEAD`).
    public var changes: Changes?
    /// The failing report's output folder (its `logs/` hold each attempt's full output).
    public var outputFolder: URL?
    /// Earlier runs: each one's report and manifest (`--history DIR`).
    public var history: [(report: TaaSReport, manifest: WorkspaceManifest?)] = []

    /// What changed since the last passing state, and how it is known.
    public struct Changes: Sendable {
        /// `baseline` (a passing report's manifest) or `git`.
        public var source: String
        public var files: [ManifestChange]

        public init(source: String, files: [ManifestChange]) {
            self.source = source
            self.files = files
        }

        public var law: [String] { files.filter(\.law).map(\.path) }
        public var code: [String] { files.filter { !$0.law }.map(\.path) }
    }

    public init(
        manifest: WorkspaceManifest? = nil,
        workspace: URL? = nil,
        scope: TestScope? = nil,
        changes: Changes? = nil
    ) {
        self.manifest = manifest
        self.workspace = workspace
        self.scope = scope
        self.changes = changes
    }

    /// The map of workspace files traces are matched against.
    public var map: WorkspaceMap {
        if let manifest { return WorkspaceMap(manifest: manifest) }
        return WorkspaceMap(files: [:])
    }

    /// The text of a workspace file, when the workspace was given.
    public func text(of path: String) -> String? {
        guard let workspace,
            let data = FileManager.default.contents(atPath: workspace.appendingPathComponent(path).path)
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads the context of `reportFile`: the manifest beside it, the scope from `workspace` (its
    /// `scope.json`, or `scopeFile`), the baseline's manifest, git's changes, the history.
    public static func load(
        reportFile: URL,
        workspace: URL?,
        scopeFile: URL? = nil,
        baseline: URL? = nil,
        useGit: Bool = false,
        historyFolder: URL? = nil
    ) async throws(HealerError) -> DiagnosisContext {
        var context = DiagnosisContext(workspace: workspace?.standardizedFileURL)
        let folder = reportFile.deletingLastPathComponent()
        context.outputFolder = folder
        let manifestFile = folder.appendingPathComponent(WorkspaceManifest.fileName)
        let scopeURL = scopeFile ?? workspace?.appendingPathComponent("scope.json")
        if let scopeURL, FileManager.default.fileExists(atPath: scopeURL.path) {
            do { context.scope = try TestScope.load(from: scopeURL).scope } catch {
                throw HealerError(.input, "the scope \(scopeURL.path) cannot be read: \(error)")
            }
        }
        if FileManager.default.fileExists(atPath: manifestFile.path) {
            do { context.manifest = try WorkspaceManifest.read(from: manifestFile) } catch {
                throw HealerError(.input, error.message)
            }
        } else if let workspace, let scope = context.scope {
            do {
                context.manifest = try WorkspaceManifest.capture(
                    scope: scope,
                    workspace: workspace,
                    scopeFile: scopeURL
                )
            } catch { throw HealerError(.workspace, error.message) }
        }
        if let baseline {
            let baselineManifest = baseline.deletingLastPathComponent().appendingPathComponent(
                WorkspaceManifest.fileName
            )
            guard let current = context.manifest else {
                throw HealerError(
                    .input,
                    "--baseline needs the workspace manifest of the failing run (\(manifestFile.path)) or --workspace with its scope.json"
                )
            }
            do {
                let earlier = try WorkspaceManifest.read(from: baselineManifest)
                context.changes = Changes(source: "baseline", files: current.changes(since: earlier))
            } catch { throw HealerError(.input, "--baseline: \(error.message)") }
        } else if useGit {
            guard let workspace else { throw HealerError(.input, "--git needs --workspace DIR (a git checkout)") }
            context.changes = Changes(
                source: "git",
                files: try await GitChanges.since(head: workspace, map: context.map)
            )
        }
        if let historyFolder {
            context.history = try History.read(historyFolder)
        }
        return context
    }
}
