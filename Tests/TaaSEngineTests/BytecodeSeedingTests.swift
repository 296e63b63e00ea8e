import Foundation
import TaaSCore
import Testing

@testable import TaaSSandboxes

/// taas's own bytecode for the workspace copy: which files get it, where it goes, and, with real
/// pytest in the venv sandbox, that it is used, that it follows every change of a source, and
/// that a pyc planted in the workspace is never run.
@Suite(.serialized) struct BytecodeSeedingTests {
    static func makeFolder(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("taas-bytecode-\(UUID().uuidString)")
        for (path, content) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(content.utf8).write(to: url)
        }
        return root
    }

    @Test func findsTheProjectsPythonFilesAndWhichOnesPytestRewrites() throws {
        let root = try Self.makeFolder([
            "app/core.py": "X = 1\n", "tests/test_core.py": "def test_x(): pass\n", "tests/conftest.py": "",
            "tests/core_test.py": "", "tests/helpers.py": "", "notes.txt": "", ".hidden/secret.py": "",
            "env/pyvenv.cfg": "", "env/lib/site.py": "", "node_modules/x.py": "", "lib/site-packages/y.py": "",
            "big.py": String(repeating: "#", count: BytecodeSeeding.largestSource + 1),
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("linked.py").path,
            withDestinationPath: "app/core.py"
        )
        let sources = BytecodeSeeding.sources(in: root)
        let kinds = Dictionary(uniqueKeysWithValues: sources.map { ($0.relative, $0.kinds) })
        #expect(
            kinds == [
                "app/core.py": [.plain], "tests/test_core.py": [.plain, .pytest],
                "tests/conftest.py": [.plain, .pytest],
                "tests/core_test.py": [.plain, .pytest], "tests/helpers.py": [.plain],
            ]
        )
        // The digest covers the path as well as the content: two empty files differ.
        let digests = Set(sources.map(\.digest))
        #expect(digests.count == sources.count)
    }

    /// pytest's experimental assertion-pass hook changes the rewritten code under the same pyc
    /// name, so a workspace that configures it gets no pytest pycs from taas, only CPython's.
    @Test func theAssertionPassHookLeavesPytestsPycsToPytest() throws {
        let root = try Self.makeFolder([
            "tests/test_a.py": "def test_a(): pass\n", "pytest.ini": "[pytest]\nenable_assertion_pass_hook = true\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(BytecodeSeeding.enablesAssertionPassHook(root))
        let seeding = BytecodeSeeding(storeFolder: root.appendingPathComponent("store"), python: "/usr/bin/python3")
        let pending = seeding.seedFromStore(workspace: root, owner: nil)
        #expect(pending.map(\.source.relative) == ["tests/test_a.py"])
        #expect(pending.map(\.kind) == [.plain])
        try FileManager.default.removeItem(at: root.appendingPathComponent("pytest.ini"))
        #expect(seeding.seedFromStore(workspace: root, owner: nil).map(\.kind) == [.plain, .pytest])
    }

    /// Issue 22, item 8: a configuration file that is a link (to a huge or secret host file) is
    /// never followed, and counts as enabling the hook whatever it points to, so the answer tells
    /// nothing about the host file; a FIFO does not block, and an oversized file is not read.
    @Test func aConfigurationLinkIsNeverFollowedAndTellsNothingOfItsTarget() throws {
        let root = try Self.makeFolder(["tests/test_a.py": "def test_a(): pass\n"])
        let outside = try Self.makeFolder([
            "with.ini": "[pytest]\nenable_assertion_pass_hook = true\n", "without.ini": "[pytest]\n",
        ])
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: outside)
        }
        let config = root.appendingPathComponent("pytest.ini")
        for target in ["with.ini", "without.ini"] {
            try? FileManager.default.removeItem(at: config)
            try FileManager.default.createSymbolicLink(
                at: config,
                withDestinationURL: outside.appendingPathComponent(target)
            )
            #expect(
                BytecodeSeeding.enablesAssertionPassHook(root),
                "the answer for a link depends on its target \(target)"
            )
        }
        // A 20 GiB sparse file: refused from its size at once.
        try FileManager.default.removeItem(at: config)
        let file = open(config.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        #expect(ftruncate(file, 20 << 30) == 0)
        close(file)
        let clock = ContinuousClock()
        var started = clock.now
        #expect(BytecodeSeeding.enablesAssertionPassHook(root))
        #expect(clock.now - started < .seconds(1))
        try FileManager.default.removeItem(at: config)
        #expect(mkfifo(config.path, 0o644) == 0)
        started = clock.now
        #expect(BytecodeSeeding.enablesAssertionPassHook(root))
        #expect(clock.now - started < .seconds(1))
        try FileManager.default.removeItem(at: config)
        #expect(!BytecodeSeeding.enablesAssertionPassHook(root))
        // A source folder that is a link is not walked, and a linked source is not read.
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("linked"),
            withDestinationURL: outside
        )
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("tests/test_linked.py"),
            withDestinationURL: outside.appendingPathComponent("with.ini")
        )
        #expect(BytecodeSeeding.sources(in: root).map(\.relative) == ["tests/test_a.py"])
    }

    @Test func aTimestampHeaderTakesTheCopysModificationTimeAndSizeAndOtherPycsAreLinksToTheStore() throws {
        let root = try Self.makeFolder(["tests/test_a.py": "def test_a(): pass\n"])
        defer { try? FileManager.default.removeItem(at: root) }
        let source = try #require(BytecodeSeeding.sources(in: root).first)
        let layout = BytecodeStore.Layout(
            magic: "a70d0d0a",
            plainTag: "cpython-311",
            pytestTag: "cpython-311-pytest-8.3.0",
            pytestHeader: "timestamp"
        )
        let compiled = Data([0xA7, 0x0D, 0x0D, 0x0A, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0xE3, 0x99])
        let store = BytecodeStore(folder: root.appendingPathComponent("store"))
        try FileManager.default.createDirectory(at: store.folder, withIntermediateDirectories: true)
        let stored = try store.store(compiled, source.digest, .pytest)
        let sandboxUser = (uid: getuid(), gid: getgid())
        BytecodeSeeding.place(stored, for: source, kind: .pytest, layout: layout, in: root, owner: sandboxUser)
        let pytestPyc = root.appendingPathComponent("tests/__pycache__/test_a.cpython-311-pytest-8.3.0.pyc")
        let pyc = try Data(contentsOf: pytestPyc)
        func uint32(_ range: Range<Int>) -> UInt32 { pyc[range].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        #expect(pyc.prefix(8) == compiled.prefix(8))
        #expect(uint32(8..<12) == UInt32(truncatingIfNeeded: source.modified))
        #expect(uint32(12..<16) == UInt32(source.size))
        #expect(pyc.suffix(2) == compiled.suffix(2))
        #expect(try Data(contentsOf: stored) == compiled, "the store's file is never patched")

        // CPython's pyc goes beside pytest's as it was compiled: a link to the store's read-only
        // file when the sandbox runs as another user, else a copy.
        func inode(_ url: URL) -> (ino_t, nlink_t) {
            var info = stat()
            stat(url.path, &info)
            return (info.st_ino, info.st_nlink)
        }
        #expect(inode(pytestPyc).0 != inode(stored).0)
        let plainStored = try store.store(compiled, source.digest, .plain)
        let plainPyc = root.appendingPathComponent("tests/__pycache__/test_a.cpython-311.pyc")
        BytecodeSeeding.place(plainStored, for: source, kind: .plain, layout: layout, in: root, owner: sandboxUser)
        #expect(try Data(contentsOf: plainPyc) == compiled)
        #expect(inode(plainPyc).0 == inode(plainStored).0)
        #expect(access(plainStored.path, W_OK) != 0 || getuid() == 0, "the store's pycs are read-only")
        try FileManager.default.removeItem(at: plainPyc)
        BytecodeSeeding.place(plainStored, for: source, kind: .plain, layout: layout, in: root, owner: nil)
        #expect(try Data(contentsOf: plainPyc) == compiled)
        #expect(inode(plainPyc).0 != inode(plainStored).0)
    }

    static let passing = "def test_total():\n    assert sum([1, 2]) == 3\n"
    static let failing = "def test_total():\n    assert sum([1, 2]) == 4\n"
    static let scenarios =
        #"[{"id": "UNIT", "execution": {"runner": "pytest", "target": "tests"}, "env": {"PYTEST_DEBUG": "1"}}]"#

    func pytestLog(_ fixture: RunFixture) throws -> String {
        try String(contentsOf: fixture.output.appendingPathComponent("logs/UNIT.attempt-1.stderr.log"), encoding: .utf8)
            + String(
                contentsOf: fixture.output.appendingPathComponent("logs/UNIT.attempt-1.stdout.log"),
                encoding: .utf8
            )
    }

    /// In the venv sandbox (pytest from PyPI, whose pycs carry a hash of the source) and in the
    /// jail (the host's pytest; Debian's carries the source's mtime and size).
    @Test(arguments: ["venv", "jail"])
    func pytestRunsTaasBytecodeFollowsEveryChangeAndNeverRunsAPlantedPyc(kind: String) async throws {
        let fixture = try RunFixture(files: ["tests/test_calc.py": Self.passing, "tests/broken.py": "def (:\n"])
        defer { fixture.remove() }
        let dependencies = kind == "venv" ? #", "dependencies": ["pytest"]"# : ""
        let scope =
            #"{"scope_id": "bytecode", "environment": {"type": "\#(kind)"\#(dependencies)}, "scenarios": \#(Self.scenarios)}"#
        let sandbox: any Sandbox = kind == "venv" ? VenvSandbox() : JailSandbox()
        _ = try await fixture.run(scope, sandbox: sandbox)
        let second = try await fixture.run(scope, sandbox: sandbox)
        #expect(second.verdict == .pass)
        #expect(second.sandbox.settings["bytecode"] == BytecodeSeeding.setting)
        #expect(try pytestLog(fixture).contains("found cached rewritten pyc for /workspace/tests/test_calc.py"))
        #expect(
            !FileManager.default.fileExists(atPath: fixture.workspace.appendingPathComponent("tests/__pycache__").path)
        )

        // A file that does not compile is remembered as such, not compiled again on every run.
        let venv = second.sandbox.settings["venv"]?.split(separator: " ").first.map(String.init)
        let store =
            try venv.map { BytecodeSeeding.store(ofVirtualenv: URL(fileURLWithPath: $0)) }
            ?? #require(BytecodeSeeding.forHostPython(cacheDirectory: TestEnvironment.cacheDirectory)).storeFolder
        let broken = try #require(
            BytecodeSeeding.sources(in: fixture.workspace).first { $0.relative == "tests/broken.py" }
        )
        #expect(BytecodeStore(folder: store).entry(broken.digest, .plain) == .uncompilable)

        // A changed test is judged by its new content.
        try Data(Self.failing.utf8).write(to: fixture.workspace.appendingPathComponent("tests/test_calc.py"))
        let third = try await fixture.run(scope, sandbox: sandbox)
        #expect(third.verdict == .fail)

        // A pyc planted beside the failing test, made from the passing one under the failing one's
        // header, fools plain pytest; taas never copies it.
        let python = venv.map { "\($0)/bin/python" } ?? HostPython.interpreter
        let plant = """
            import importlib.util, io, pathlib, sys
            from _pytest.assertion import rewrite
            test = pathlib.Path(sys.argv[1]) / "tests" / "test_calc.py"
            fake = pathlib.Path(sys.argv[1]) / "fake.py"
            fake.write_text(\(Self.passing.debugDescription))
            first, code = rewrite._rewrite_test(fake, None)
            fake.unlink()
            buffer = io.BytesIO()
            rewrite._write_pyc_fp(buffer, importlib.util.source_hash(test.read_bytes()) if first.__class__ is bytes else test.stat(), code)
            (test.parent / "__pycache__").mkdir(exist_ok=True)
            (test.parent / "__pycache__" / ("test_calc." + rewrite.PYTEST_TAG + ".pyc")).write_bytes(buffer.getvalue())
            """
        let planted = await HostTools.run(python, ["-c", plant, fixture.workspace.path])
        #expect(planted.exitCode == 0, "\(planted.output)")
        let fooled = await HostTools.run(
            python,
            ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_calc.py"],
            environment: ["PYTHONDONTWRITEBYTECODE": "1"],
            workingDirectory: fixture.workspace.path
        )
        #expect(fooled.exitCode == 0, "the planted pyc should make plain pytest pass: \(fooled.output)")
        let fourth = try await fixture.run(scope, sandbox: sandbox)
        #expect(fourth.verdict == .fail)
        #expect(fourth.scenarios[0].cases.first?.message?.contains("assert 3 == 4") == true)
    }
}

extension BytecodeSeedingTests {
    /// The seeded pycs are links to the store's files when the sandbox runs as another user; a step
    /// that writes to every pyc it finds changes nothing in the store.
    @Test func aStepCannotChangeTheStoreThroughItsLinks() async throws {
        let fixture = try RunFixture(files: ["tests/test_calc.py": Self.passing, "app.py": "VALUE = 1\n"])
        defer { fixture.remove() }
        let vandal =
            #"python3 -c \"import glob\nfor p in glob.glob('/workspace/**/__pycache__/*.pyc', recursive=True):\n  try: open(p, 'ab').write(b'x')\n  except OSError: pass\""#
        // The store holds other workspaces' bytecode too: it lies beside the mounted virtualenv,
        // out of the sandbox's sight.
        let hidden = #"{"id": "HIDDEN", "command": "test -d \"$VIRTUAL_ENV\" && test ! -e \"$VIRTUAL_ENV.bytecode\""}"#
        let scope =
            #"{"scope_id": "vandal", "environment": {"type": "venv", "dependencies": ["pytest"]}, "scenarios": [{"id": "V", "command": "\#(vandal)"}, \#(hidden)]}"#
        _ = try await fixture.run(scope, sandbox: VenvSandbox())
        let report = try await fixture.run(scope, sandbox: VenvSandbox())
        #expect(report.verdict == .pass)
        let venv = try #require(report.sandbox.settings["venv"]?.split(separator: " ").first.map(String.init))
        let store = BytecodeStore(folder: BytecodeSeeding.store(ofVirtualenv: URL(fileURLWithPath: venv)))
        #expect(store.layout() != nil, "the store is where the sandbox cannot see it, and it exists")
        for source in BytecodeSeeding.sources(in: fixture.workspace) {
            for kind in source.kinds {
                guard case .bytecode(let file) = store.entry(source.digest, kind) else {
                    Issue.record("no stored \(kind) pyc for \(source.relative)")
                    continue
                }
                let pyc = try Data(contentsOf: file)
                #expect(pyc.last != UInt8(ascii: "x"), "a step appended to the store's \(file.lastPathComponent)")
            }
        }

        // A compile pass with no test module in it (a new plain module) keeps what the store had.
        try Data("OTHER = 2\n".utf8).write(to: fixture.workspace.appendingPathComponent("other.py"))
        _ = try await fixture.run(scope, sandbox: VenvSandbox())
        for source in BytecodeSeeding.sources(in: fixture.workspace) {
            for kind in source.kinds {
                guard case .bytecode = store.entry(source.digest, kind) else {
                    Issue.record("the store lost or lacks the \(kind) pyc of \(source.relative)")
                    continue
                }
            }
        }
    }
}

extension BytecodeSeedingTests {
    /// `TAAS_BYTECODE=off` leaves the copy without pycs, through the `taas` binary.
    @Test func theSwitchTurnsItOff() async throws {
        let fixture = try RunFixture(files: [
            "tests/test_calc.py": Self.passing,
            "scope.json":
                #"{"scope_id": "switch", "scenarios": [{"id": "S", "command": "ls tests/__pycache__/*.pyc"}]}"#,
        ])
        defer { fixture.remove() }
        let scope = fixture.workspace.appendingPathComponent("scope.json").path
        func run(_ environment: [String: String]) async throws -> TaaSReport {
            let result = await HostTools.run(
                TestEnvironment.taasBinary.path,
                ["run", scope, "-q", "--out", fixture.output.path],
                environment: environment.merging(["TAAS_CACHE_DIR": TestEnvironment.cacheDirectory.path]) { $1 }
            )
            #expect([0, 1].contains(result.exitCode), "\(result.output)")
            return try TaaSReport.read(from: Data(contentsOf: fixture.output.appendingPathComponent("report.json")))
        }
        let seeded = try await run([:])
        #expect(seeded.verdict == .pass)
        #expect(seeded.sandbox.settings["bytecode"] == BytecodeSeeding.setting)
        let off = try await run(["TAAS_BYTECODE": "off"])
        #expect(off.verdict == .fail)
        #expect(off.sandbox.settings["bytecode"]?.hasPrefix("not compiled by taas") == true)
    }
}

extension BytecodeSeedingTests {
    /// A compile pass cut short by its timeout keeps what it finished and leaves the rest for the
    /// next run, rather than marking it uncompilable (played by a fake interpreter that compiles
    /// one file and hangs).
    @Test func aPassCutShortKeepsWhatItFinished() async throws {
        let hang = """
            #!/bin/sh
            printf '{"magic": "a70d0d0a", "plain_tag": "cpython-311"}' > "$5/layout.json"
            line=$(head -n 1 "$4")
            printf 'compiled' > "$5/$(printf '%s' "$line" | cut -f2).$(printf '%s' "$line" | cut -f1).pyc"
            exec sleep 30
            """
        let fixture = try RunFixture(files: ["a.py": "A = 1\n", "b.py": "B = 2\n", "fakepython": hang])
        defer { fixture.remove() }
        chmod(fixture.workspace.appendingPathComponent("fakepython").path, 0o755)
        let store = fixture.root.appendingPathComponent("store")
        var jail = JailSandbox()
        jail.bytecode = BytecodeSeeding(
            storeFolder: store,
            python: "/workspace/fakepython",
            compileTimeout: .milliseconds(700)
        )
        let report = try await fixture.run(
            #"{"scope_id": "cut", "scenarios": [{"id": "S", "command": "true"}]}"#,
            sandbox: jail
        )
        #expect(report.verdict == .pass)
        let sources = Dictionary(
            uniqueKeysWithValues: BytecodeSeeding.sources(in: fixture.workspace).map { ($0.relative, $0) }
        )
        let a = try #require(sources["a.py"])
        let b = try #require(sources["b.py"])
        let kept = BytecodeStore(folder: store)
        #expect(kept.layout()?.plainTag == "cpython-311")
        guard case .bytecode(let file) = kept.entry(a.digest, .plain) else {
            Issue.record("the finished pyc was not kept")
            return
        }
        #expect(try Data(contentsOf: file) == Data("compiled".utf8))
        #expect(kept.entry(b.digest, .plain) == .missing, "a file the pass did not reach is left for the next run")
    }
}
