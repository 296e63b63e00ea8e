import Crypto
import Foundation
import TaaSCore

/// Puts bytecode that taas compiled itself next to the Python files of the workspace copy, so
/// that pytest and CPython skip parsing, assertion rewriting and compiling on every run.
///
/// The workspace's own `__pycache__` is never copied: a pyc is validated only against its
/// source's header fields, never against its code, so a planted one could run other code under
/// an unchanged, locked test. These pycs are compiled by taas from the exact bytes of the copy,
/// in the sandbox, before any step of the scope has run, and kept in a ``BytecodeStore`` by the
/// digest of the file's path and content.
struct BytecodeSeeding: Sendable {
    /// The two pycs a source can have: CPython's own and pytest's assertion-rewritten one.
    enum Kind: String, Sendable {
        case plain
        case pytest
    }

    /// A Python file of the workspace copy.
    struct Source: Sendable {
        /// The path relative to the workspace.
        var relative: String
        /// SHA-256 of the relative path, a NUL byte and the content, in hex.
        var digest: String
        var kinds: [Kind]
        var modified: Int
        var size: Int
    }

    /// A source and kind that the store has no entry for yet.
    struct Pending: Sendable {
        var source: Source
        var kind: Kind
    }

    /// The folder of the store.
    var storeFolder: URL
    /// The interpreter that compiles, at its path inside the sandbox.
    var python: String
    /// How long a compile pass may take; what it finished by then is kept.
    var compileTimeout: Duration = .seconds(120)

    /// Larger files are left to the run: generated code, not what a test imports.
    static let largestSource = 1 << 20
    /// The largest pytest configuration file read for ``enablesAssertionPassHook(_:)``.
    static let largestConfiguration = 1 << 20
    /// The largest file of the compile pass's output read back (a pyc of a source of at most
    /// ``largestSource`` bytes is far smaller).
    static let largestOutput = 16 << 20
    /// Folders that hold no code of the project under test.
    static let skippedFolders: Set<String> = ["__pycache__", "node_modules", "site-packages"]
    static let workFolder = ".taas-bytecode"

    /// `false` when `TAAS_BYTECODE=off`: the copy then has no pycs and pytest compiles everything,
    /// as it did before taas compiled bytecode itself (for comparing, and for ruling it out).
    static var isEnabled: Bool { ProcessInfo.processInfo.environment["TAAS_BYTECODE"] != "off" }

    /// What the report's sandbox settings say of it.
    static let setting =
        "compiled by taas from the copied sources before the scope runs, kept by content; the workspace's own __pycache__ is never used"

    private var store: BytecodeStore { BytecodeStore(folder: storeFolder) }

    /// The store of a cached virtualenv: beside it, not inside it, because the virtualenv is
    /// mounted in the sandbox and the store holds bytecode of other workspaces. Removed whenever
    /// the virtualenv is made again.
    static func store(ofVirtualenv venv: URL) -> URL {
        venv.deletingLastPathComponent().appendingPathComponent("\(venv.lastPathComponent).bytecode")
    }

    /// Seeding for the host's `python3` (the jail), with a store per interpreter and set of
    /// installed packages; `nil` when the host has no `python3`.
    static func forHostPython(cacheDirectory: URL) -> BytecodeSeeding? {
        guard FileManager.default.isExecutableFile(atPath: HostPython.interpreter) else { return nil }
        let host = HostPython.identity()
        let material = ([host.interpreter] + host.packages).joined(separator: "\n")
        let key = SHA256.hash(data: Data(material.utf8)).prefix(8).hexText
        return BytecodeSeeding(
            storeFolder: cacheDirectory.appendingPathComponent("bytecode/host-\(key)"),
            python: HostPython.interpreter
        )
    }

    /// Seeds the copy with every pyc the store has and returns what it lacks.
    func seedFromStore(workspace: URL, owner: (uid: uid_t, gid: gid_t)?) -> [Pending] {
        var sources = Self.sources(in: workspace)
        if Self.enablesAssertionPassHook(workspace) {
            for index in sources.indices { sources[index].kinds.removeAll { $0 == .pytest } }
        }
        guard let layout = store.layout() else {
            return sources.flatMap { source in source.kinds.map { Pending(source: source, kind: $0) } }
        }
        var pending: [Pending] = []
        for source in sources {
            for kind in source.kinds {
                switch store.entry(source.digest, kind) {
                case .bytecode(let file):
                    Self.place(file, for: source, kind: kind, layout: layout, in: workspace, owner: owner)
                case .uncompilable: continue
                case .missing: pending.append(Pending(source: source, kind: kind))
                }
            }
        }
        return pending
    }

    /// Compiles `pending` in the sandbox, keeps the results and seeds the copy with them.
    ///
    /// A pass that fails leaves the copy as it is: the run then compiles as it would anyway. A
    /// pass cut short by its timeout (a very large tree) keeps what it finished, so the next run
    /// goes on from there; only a pass that finished records the files it could not compile.
    func compile(
        _ pending: [Pending],
        in instance: AgentInstance,
        artifactsOnHost: URL,
        logDirectory: URL,
        workspace: URL,
        owner: (uid: uid_t, gid: gid_t)?
    ) async {
        guard !pending.isEmpty else { return }
        let work = artifactsOnHost.appendingPathComponent(Self.workFolder)
        let output = work.appendingPathComponent("out")
        defer { try? FileManager.default.removeItem(at: work) }
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            // pytest's pycs first: they save the most (parsing, rewriting and compiling).
            let ordered = pending.filter { $0.kind == .pytest } + pending.filter { $0.kind == .plain }
            let request = ordered.map { "\($0.kind.rawValue)\t\($0.source.digest)\t\($0.source.relative)\n" }.joined()
            try Data(request.utf8).write(to: work.appendingPathComponent("request.tsv"))
        } catch { return }
        if let owner {
            lchown(work.path, owner.uid, owner.gid)
            lchown(output.path, owner.uid, owner.gid)
        }
        let inSandbox = "\(instance.artifactsPath)/\(Self.workFolder)"
        let outcome = try? await instance.runOwnStep(
            label: "taas-bytecode",
            arguments: [
                python, "-I", "-c", BytecodeCompiler.script, "\(inSandbox)/request.tsv", "\(inSandbox)/out",
                instance.workspacePath,
            ],
            timeout: compileTimeout,
            logDirectory: logDirectory
        )
        // The pass's output is read as anything a sandbox wrote is: no link, FIFO or oversized file.
        let outputName = "\(Self.workFolder)/out"
        guard let outcome, outcome.exitCode == 0 || outcome.timedOut,
            let data = try? ConfinedFile.read("\(outputName)/layout.json", in: artifactsOnHost, limit: 64 * 1024),
            let layout = try? JSONDecoder().decode(BytecodeStore.Layout.self, from: data),
            (try? store.adopt(layout)) != nil
        else { return }
        for item in pending {
            let name = "\(item.source.digest).\(item.kind.rawValue).pyc"
            if let bytecode = try? ConfinedFile.read(
                "\(outputName)/\(name)",
                in: artifactsOnHost,
                limit: Self.largestOutput
            ),
                let file = try? store.store(bytecode, item.source.digest, item.kind)
            {
                Self.place(file, for: item.source, kind: item.kind, layout: layout, in: workspace, owner: owner)
            } else if !outcome.timedOut {
                try? store.storeUncompilable(item.source.digest, item.kind)
            }
        }
    }

    /// Every Python file of the copy that may be imported: regular files, outside hidden folders,
    /// caches and virtualenvs. Each is read through ``ConfinedFile`` (no link on its way, at most
    /// ``largestSource`` bytes).
    static func sources(in workspace: URL) -> [Source] {
        var sources: [Source] = []
        func walk(_ folder: String, _ relative: String) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
            if !relative.isEmpty, names.contains("pyvenv.cfg") { return }
            for name in names.sorted() where !name.hasPrefix(".") && !skippedFolders.contains(name) {
                let path = "\(folder)/\(name)"
                let childRelative = relative.isEmpty ? name : "\(relative)/\(name)"
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    walk(path, childRelative)
                case S_IFREG where name.hasSuffix(".py") && Int(info.st_size) <= largestSource:
                    guard let content = try? ConfinedFile.read(childRelative, in: workspace, limit: largestSource)
                    else {
                        continue
                    }
                    var hash = SHA256()
                    hash.update(data: Data(childRelative.utf8) + [0])
                    hash.update(data: content)
                    sources.append(
                        Source(
                            relative: childRelative,
                            digest: hash.finalize().hexText,
                            kinds: isPytestModule(name) ? [.plain, .pytest] : [.plain],
                            modified: info.st_mtim.tv_sec,
                            size: Int(info.st_size)
                        )
                    )
                default:
                    continue
                }
            }
        }
        walk(workspace.path, "")
        return sources
    }

    /// Whether a pytest configuration file at the workspace's root mentions
    /// `enable_assertion_pass_hook`. Its rewritten pycs then differ (pytest's pyc name does not say
    /// so), and taas leaves pytest's pycs to pytest.
    ///
    /// The files are read through ``ConfinedFile``: one that is a link (to a huge or secret host
    /// file, say), a FIFO or larger than ``largestConfiguration`` is never followed or read, and
    /// counts as mentioning the option, whatever it points to. taas then leaves pytest's pycs to
    /// pytest (slower, never wrong), and the answer says nothing of what the link points to.
    static func enablesAssertionPassHook(_ workspace: URL) -> Bool {
        ["pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"].contains { name in
            do throws(ConfinedFileError) {
                guard let data = try ConfinedFile.read(name, in: workspace, limit: largestConfiguration) else {
                    return false
                }
                return String(decoding: data, as: UTF8.self).contains("enable_assertion_pass_hook")
            } catch {
                return true
            }
        }
    }

    /// Whether pytest rewrites the module's assertions by default: test modules and conftests.
    static func isPytestModule(_ name: String) -> Bool {
        name == "conftest.py" || (name.hasPrefix("test_") && name.hasSuffix(".py")) || name.hasSuffix("_test.py")
    }

    /// Puts a stored pyc where the interpreter looks for it: `__pycache__/STEM.TAG.pyc` beside
    /// the source.
    ///
    /// When the sandbox runs as another user (taas as root, steps as `nobody`), the pyc is a hard
    /// link to the store's file, which that user cannot change: creating a file costs ext4 an
    /// inode, and a link costs a fifth of that. Otherwise, and for a pytest pyc that must carry the
    /// copy's mtime and size, it is a new file.
    static func place(
        _ stored: URL,
        for source: Source,
        kind: Kind,
        layout: BytecodeStore.Layout,
        in workspace: URL,
        owner: (uid: uid_t, gid: gid_t)?
    ) {
        let tag: String
        var patchesTimestamp = false
        switch kind {
        case .plain:
            tag = layout.plainTag
        case .pytest:
            guard let pytestTag = layout.pytestTag else { return }
            tag = pytestTag
            patchesTimestamp = layout.pytestHeader == "timestamp"
        }
        let folder = (source.relative as NSString).deletingLastPathComponent
        let cache = workspace.path + (folder.isEmpty ? "" : "/\(folder)") + "/__pycache__"
        let stem = ((source.relative as NSString).lastPathComponent as NSString).deletingPathExtension
        if mkdir(cache, 0o755) == 0, let owner { lchown(cache, owner.uid, owner.gid) }
        let target = "\(cache)/\(stem).\(tag).pyc"
        if owner != nil, !patchesTimestamp, link(stored.path, target) == 0 { return }
        guard var pyc = FileManager.default.contents(atPath: stored.path), pyc.count >= 16 else { return }
        if patchesTimestamp {
            pyc.replaceSubrange(
                8..<16,
                with: littleEndian(UInt32(truncatingIfNeeded: source.modified))
                    + littleEndian(UInt32(truncatingIfNeeded: source.size))
            )
        }
        guard write(pyc, to: target) else { return }
        if let owner { lchown(target, owner.uid, owner.gid) }
    }

    /// Writes a new file with plain POSIX calls: `Data.write` syncs every file to disk, which costs
    /// about a millisecond each, and these are rebuilt on every run anyway.
    private static func write(_ data: Data, to path: String) -> Bool {
        let file = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard file >= 0 else { return false }
        defer { close(file) }
        return data.withUnsafeBytes { DescriptorWriting.writeAll(file, $0) }
    }

    private static func littleEndian(_ value: UInt32) -> Data {
        withUnsafeBytes(of: value.littleEndian) { Data($0) }
    }
}
