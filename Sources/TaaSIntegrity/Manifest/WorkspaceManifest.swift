import Foundation
import TaaSCore

/// Every file of a workspace with its digest, the law's files marked: `manifest.json`, written
/// beside each `report.json`, so that two runs can be compared file by file without git.
public struct WorkspaceManifest: Sendable, Codable, Equatable {
    /// The version of this format.
    public static let currentVersion = 1
    /// The manifest's file name in an output folder.
    public static let fileName = "manifest.json"

    /// One file of the workspace.
    public struct Entry: Sendable, Codable, Equatable {
        /// The path relative to the workspace.
        public var path: String
        /// `sha256:` of the file's bytes.
        public var digest: String
        /// Whether the file belongs to the scope's law (its tests, conftests, pytest
        /// configuration, locked files, or the scope file itself).
        public var law: Bool

        public init(path: String, digest: String, law: Bool) {
            self.path = path
            self.digest = digest
            self.law = law
        }
    }

    public var manifestVersion: Int
    /// `sha256:` over every entry's path and digest: equal workspaces have equal digests.
    public var workspaceDigest: String
    public var files: [Entry]

    enum CodingKeys: String, CodingKey {
        case manifestVersion = "manifest_version"
        case workspaceDigest = "workspace_digest"
        case files
    }

    public init(files: [Entry]) {
        manifestVersion = Self.currentVersion
        self.files = files.sorted { $0.path < $1.path }
        workspaceDigest = FileDigest.of(Data(self.files.map { "\($0.path)\u{0}\($0.digest)\n" }.joined().utf8))
    }

    /// Records `workspace` as it is now, marking the law of `scope`; files under `excluded` (an
    /// output folder inside the workspace) are left out. `scopeFile`, when it lies in the
    /// workspace, is law too.
    public static func capture(
        scope: TestScope,
        workspace: URL,
        scopeFile: URL? = nil,
        excluding excluded: [URL] = []
    ) throws(IntegrityError) -> WorkspaceManifest {
        let root = workspace.standardizedFileURL
        let skipped = excluded.compactMap { relative($0, to: root) }.filter { !$0.isEmpty }
        // A section entry (`pyproject.toml#tool.pytest`) makes the whole file's entry law-bearing.
        var law = Set(
            try LawFiles(scope: scope, workspace: root).collect().map {
                String($0.path.split(separator: "#").first ?? "")
            }
            .filter { !$0.isEmpty }
        )
        if let scopeFile, let path = relative(scopeFile, to: root) {
            law.insert(path)
            law.insert(lockPath(path))
        }
        var entries: [Entry] = []
        for path in try WorkspaceWalker(root: root).files()
        where !path.hasSuffix(".pyc") && !skipped.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) {
            entries.append(
                Entry(
                    path: path,
                    digest: try FileDigest.ofFile(at: root.appendingPathComponent(path)),
                    law: law.contains(path)
                )
            )
        }
        return WorkspaceManifest(files: entries)
    }

    /// The law's paths.
    public var lawPaths: [String] { files.filter(\.law).map(\.path) }

    /// The entry of `path`, if the workspace had that file.
    public func entry(_ path: String) -> Entry? {
        files.first { $0.path == path }
    }

    /// Writes `manifest.json` into `directory`.
    public func write(to directory: URL) throws(IntegrityError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(self).write(to: directory.appendingPathComponent(Self.fileName), options: .atomic)
        } catch {
            throw IntegrityError("cannot write \(Self.fileName) into \(directory.path): \(error.localizedDescription)")
        }
    }

    /// Reads a `manifest.json`.
    public static func read(from url: URL) throws(IntegrityError) -> WorkspaceManifest {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw IntegrityError("cannot read the workspace manifest \(url.path); runs write it beside report.json")
        }
        do {
            return try JSONDecoder().decode(WorkspaceManifest.self, from: data)
        } catch {
            throw IntegrityError(
                "\(url.path) is not a workspace manifest (\(error)); expected manifest_version and files"
            )
        }
    }

    /// What changed from `earlier` to this manifest, path by path.
    public func changes(since earlier: WorkspaceManifest) -> [ManifestChange] {
        let before = Dictionary(earlier.files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var changes: [ManifestChange] = []
        for path in Set(before.keys).union(after.keys).sorted() {
            switch (before[path], after[path]) {
            case (let old?, let new?) where old.digest != new.digest:
                changes.append(ManifestChange(path: path, change: .changed, law: old.law || new.law))
            case (let old?, nil):
                changes.append(ManifestChange(path: path, change: .removed, law: old.law))
            case (nil, let new?):
                changes.append(ManifestChange(path: path, change: .added, law: new.law))
            default:
                continue
            }
        }
        return changes
    }

    private static func relative(_ url: URL, to root: URL) -> String? {
        let path = url.standardizedFileURL.path
        if path == root.path { return "" }
        guard path.hasPrefix(root.path + "/") else { return nil }
        return String(path.dropFirst(root.path.count + 1))
    }

    private static func lockPath(_ scopePath: String) -> String {
        let stem = scopePath.hasSuffix(".json") ? String(scopePath.dropLast(5)) : scopePath
        return stem + ".lock.json"
    }
}

/// One file that differs between two manifests.
public struct ManifestChange: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case added, removed, changed }

    public var path: String
    public var change: Kind
    /// Whether the file is (or was) law.
    public var law: Bool

    public init(path: String, change: Kind, law: Bool) {
        self.path = path
        self.change = change
        self.law = law
    }
}
