import Foundation
import TaaSCore

/// Finds the files that make up a scope's law in a workspace: what `taas lock` records and
/// `taas run` verifies.
///
/// By default the law is:
/// - each scenario's tests: its `target` (every file under it, when it is a folder), as
///   ``targets`` explains for each runner;
/// - every `conftest.py`, `pytest.ini` and `.pytest.ini`;
/// - the pytest sections of `pyproject.toml` (`[tool.pytest…]`), `setup.cfg` (`[tool:pytest]`)
///   and `tox.ini` (`[pytest]`), each recorded as `FILE#SECTION` so that the rest of the file may
///   change: their lines, and their meaning as a real parser reads it (`FILE#SECTION (parsed)`:
///   TOMLKit for TOML, so dotted keys and inline tables count; pytest's INI rules for the others);
/// - per pytest scenario, the configuration pytest applies (`#pytest-configuration:ID`): which file
///   pytest picks by its own rules and that file's parsed settings;
/// - plugin modules of the workspace named by `pytest_plugins` in a `conftest.py` or a test module,
///   or by `-p` in a pytest section;
/// - files at the workspace's root that Python imports before pytest can judge anything, or that
///   shadow pytest itself: `pytest.py`, `py.py`, `_pytest/`, `pluggy/`, `sitecustomize.py`,
///   `usercustomize.py`, `*.pth`;
/// - files matched by the scope's `integrity.locked` globs.
public struct LawFiles: Sendable {
    public var scope: TestScope
    public var workspace: URL

    public init(scope: TestScope, workspace: URL) {
        self.scope = scope
        self.workspace = workspace.standardizedFileURL
    }

    /// The law's files and sections with their digests, sorted by path.
    public func collect() throws(IntegrityError) -> [LockedFile] {
        let all = try WorkspaceWalker(root: workspace).files()
        var digests: [String: String] = [:]
        func add(_ path: String) throws(IntegrityError) {
            guard digests[path] == nil else { return }
            digests[path] = try FileDigest.ofFile(at: workspace.appendingPathComponent(path))
        }

        for path in all where isLawByName(path) || isUnderTarget(path) || matchesLockedGlob(path) {
            try add(path)
        }
        for path in all where Self.sectionFiles[name(of: path)] != nil {
            for section in try pytestSections(of: path) {
                digests["\(path)#\(section.name)"] = FileDigest.of(Data(section.text.utf8))
            }
            // The meaning as well as the lines: what a real parser reads as pytest's settings.
            if let settings = PytestConfiguration.settings(of: name(of: path), text: try text(of: path)) {
                digests["\(path)#\(Self.parsedSection[name(of: path)]!)\(Self.parsedSuffix)"] =
                    FileDigest.of(CanonicalJSON.data(settings))
            }
        }
        for (scenario, start) in pytestStarts {
            let configuration = try PytestConfiguration.effective(startingAt: start, read: existingText)
            digests[Self.configurationEntry(scenario)] = FileDigest.of(CanonicalJSON.data(configuration.canonical))
        }
        for module in try pluginModules(among: all) {
            try add(module)
        }
        return digests.map { LockedFile(path: $0.key, digest: $0.value) }.sorted()
    }

    // MARK: - The rules

    /// Configuration files with a pytest section, and how to tell that section's header.
    static let sectionFiles: [String: @Sendable (String) -> Bool] = [
        "pyproject.toml": { $0 == "tool.pytest" || $0.hasPrefix("tool.pytest.") },
        "setup.cfg": { $0 == "tool:pytest" },
        "tox.ini": { $0 == "pytest" },
    ]

    /// The table or section a parser reads pytest's settings from, by file name.
    static let parsedSection: [String: String] = [
        "pyproject.toml": "tool.pytest", "setup.cfg": "tool:pytest", "tox.ini": "pytest",
    ]

    /// Appended to `FILE#SECTION` for the entry of a section's parsed meaning.
    static let parsedSuffix = " (parsed)"

    /// The lock entry of the pytest configuration that applies to a scenario (not a file: a
    /// digest of the chosen configuration file's name and its parsed settings).
    static func configurationEntry(_ scenario: String) -> String {
        "#pytest-configuration:\(scenario)"
    }

    /// Each pytest scenario's id with the workspace-relative path pytest starts from.
    private var pytestStarts: [(String, String)] {
        scope.scenarios.compactMap { scenario -> (String, String)? in
            guard case .execution(let execution) = scenario.action, execution.runner == "pytest" else { return nil }
            let base = Self.clean(execution.workingDirectory ?? "")
            let target = Self.clean(execution.target.components(separatedBy: "::")[0])
            let joined = base.isEmpty ? target : target.isEmpty ? base : base + "/" + target
            var isFolder: ObjCBool = false
            let exists = FileManager.default.fileExists(
                atPath: workspace.appendingPathComponent(joined).path,
                isDirectory: &isFolder
            )
            // pytest starts from the target's folder; from the working folder when the target is not a path.
            guard exists else { return (scenario.id, base) }
            return (
                scenario.id,
                isFolder.boolValue ? joined : joined.split(separator: "/").dropLast().joined(separator: "/")
            )
        }
    }

    /// The text of a workspace file, `nil` when it is absent or not a regular file.
    private func existingText(_ path: String) throws(IntegrityError) -> String? {
        let url = workspace.appendingPathComponent(path)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue else {
            return nil
        }
        return try text(of: path)
    }

    private static let lawNames: Set<String> = ["conftest.py", "pytest.ini", ".pytest.ini"]
    private static let rootShadows: Set<String> = ["pytest.py", "py.py", "sitecustomize.py", "usercustomize.py"]
    private static let rootShadowFolders: Set<String> = ["_pytest", "pluggy"]

    private func name(of path: String) -> String {
        String(path.split(separator: "/").last ?? "")
    }

    private func isLawByName(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        if Self.lawNames.contains(parts.last ?? "") { return true }
        if parts.count == 1 { return Self.rootShadows.contains(parts[0]) || parts[0].hasSuffix(".pth") }
        return Self.rootShadowFolders.contains(parts[0])
    }

    /// Where each scenario's tests are, relative to the workspace, by runner:
    /// - `pytest`, `unittest`, `node`: the target (a file or a folder; a pytest `::node` suffix is
    ///   dropped, a unittest dotted name such as `tests.test_core` is read as a path);
    /// - `go`: the `*_test.go` files of the target's packages (`./...` for every package);
    /// - `cargo`: the package's `tests/` folder; `swift`: the package's `Tests/` folder (inline
    ///   unit tests of Rust and Swift live with the code under test and are not locked by default);
    /// - `junit`: nothing (its target is the report the command writes; lock the command's files
    ///   with `integrity.locked`).
    /// Each is joined to the scenario's `execution.cwd`.
    /// The targets (as described above) under which none of `files` lies: a scenario that
    /// points at nothing, for a warning.
    public func targetsMatchingNothing(in files: [LockedFile]) -> [String] {
        lawTargets.filter { target in !files.contains { target.covers($0.path) } }.map(\.path)
    }

    private struct LawTarget {
        var path: String
        /// Only files whose name ends with this suffix (`_test.go`).
        var suffix: String?

        /// Whether the workspace file at `file` is one of this target's tests.
        func covers(_ file: String) -> Bool {
            if let suffix, !file.hasSuffix(suffix) { return false }
            return path.isEmpty || file == path || file == path + ".py" || file.hasPrefix(path + "/")
        }
    }

    private var lawTargets: [LawTarget] {
        scope.scenarios.compactMap { scenario -> LawTarget? in
            guard case .execution(let execution) = scenario.action else { return nil }
            let base = Self.clean(execution.workingDirectory ?? "")
            func joined(_ path: String) -> String {
                let path = Self.clean(path)
                if base.isEmpty { return path }
                return path.isEmpty ? base : base + "/" + path
            }
            let target = execution.target.components(separatedBy: "::")[0]
            switch execution.runner {
            case "junit":
                return nil
            case "go":
                let folder = target.hasSuffix("...") ? String(target.dropLast(3)) : target
                return LawTarget(path: joined(folder), suffix: "_test.go")
            case "cargo":
                return LawTarget(path: joined(Self.clean(target) + "/tests"))
            case "swift":
                return LawTarget(path: joined(Self.clean(target) + "/Tests"))
            case "unittest":
                let asPath = joined(target)
                let dotted =
                    target.contains(".") && !target.contains("/") && !target.hasSuffix(".py")
                    && !FileManager.default.fileExists(atPath: workspace.appendingPathComponent(asPath).path)
                return LawTarget(path: dotted ? joined(target.replacingOccurrences(of: ".", with: "/")) : asPath)
            default:
                return LawTarget(path: joined(target))
            }
        }
    }

    /// `./a/b/` → `a/b`; `.` → ``.
    private static func clean(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }

    private func isUnderTarget(_ path: String) -> Bool {
        if path.hasSuffix(".pyc") { return false }
        return lawTargets.contains { $0.covers(path) }
    }

    private func matchesLockedGlob(_ path: String) -> Bool {
        scope.integrity.locked.contains { GlobPattern($0).matches(path) }
    }

    private func pytestSections(of path: String) throws(IntegrityError) -> [(name: String, text: String)] {
        guard let wanted = Self.sectionFiles[name(of: path)] else { return [] }
        return ConfigurationSection.sections(in: try text(of: path), where: wanted)
    }

    private func text(of path: String) throws(IntegrityError) -> String {
        let url = workspace.appendingPathComponent(path)
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil { return "" }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw IntegrityError("cannot read \(url.path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: - Plugin modules

    /// Workspace files of the plugin modules that conftests and pytest sections name.
    private func pluginModules(among all: [String]) throws(IntegrityError) -> [String] {
        let present = Set(all)
        var modules: [(name: String, folder: String)] = []
        // pytest also loads the plugins a test module names in `pytest_plugins`.
        for path in all where name(of: path) == "conftest.py" || (path.hasSuffix(".py") && isUnderTarget(path)) {
            let folder = path.split(separator: "/").dropLast().joined(separator: "/")
            for module in Self.pytestPluginsNames(in: try text(of: path)) { modules.append((module, folder)) }
        }
        for path in all where Self.lawNames.contains(name(of: path)) || Self.sectionFiles[name(of: path)] != nil {
            var content =
                name(of: path).hasSuffix(".ini") && name(of: path) != "tox.ini"
                ? try text(of: path) : try pytestSections(of: path).map(\.text).joined(separator: "\n")
            // Options however spelled (a TOML dotted key or inline table has no section lines).
            if Self.sectionFiles[name(of: path)] != nil,
                let settings = PytestConfiguration.settings(of: name(of: path), text: try text(of: path))
            {
                content += "\n" + String(decoding: CanonicalJSON.data(settings), as: UTF8.self)
            }
            for module in Self.optionPluginNames(in: content) { modules.append((module, "")) }
        }
        var found: [String] = []
        for (module, folder) in modules {
            let relative = module.replacingOccurrences(of: ".", with: "/")
            for base in Set([folder, ""]) {
                let stem = base.isEmpty ? relative : base + "/" + relative
                if present.contains(stem + ".py") { found.append(stem + ".py") }
                let package = stem + "/"
                found += all.filter { $0.hasPrefix(package) && $0.hasSuffix(".py") }
            }
        }
        return found
    }

    /// Module names in `pytest_plugins = …` assignments.
    static func pytestPluginsNames(in source: String) -> [String] {
        let assignment = #/pytest_plugins\s*=\s*(\[[^\]]*\]|\([^)]*\)|"[^"]*"|'[^']*')/#
        return source.matches(of: assignment).flatMap { match in quotedNames(in: String(match.output.1)) }
    }

    /// Module names loaded with `-p NAME`, `-pNAME` or `"-p", "NAME"` (not `-p no:NAME`).
    static func optionPluginNames(in text: String) -> [String] {
        let option = #/(?:^|[\s"'\[,=])-p["']?[\s,]*["']?([A-Za-z0-9_.:]+)/#
        return text.matches(of: option).map { String($0.output.1) }.filter { !$0.contains(":") && !$0.hasPrefix(".") }
    }

    private static func quotedNames(in text: String) -> [String] {
        text.matches(of: #/["']([A-Za-z_][A-Za-z0-9_.]*)["']/#).map { String($0.output.1) }
    }
}
