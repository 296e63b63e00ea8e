import Foundation
import TaaSCore
import TaaSDocker
import TaaSEngine
import TaaSIntegrity
import TaaSSandboxes
import Testing

/// The lock bypass battery (issue 14): a pilot-like project whose code under test is broken, so
/// that one locked test fails; it is locked (files and test ledger), then each bypass changes the
/// workspace the way a Citizen could, to make the failing test not fail. Every bypass must end
/// `fail` or `error` with its mechanism named in the report — never `pass`.
///
/// Reproduce the figure: `swift test --skip-build --filter LockBypassTests`.
@Suite(.serialized) struct LockBypassTests {
    /// One way to make the failing test not fail: files written (or deleted, for `nil`) after the lock.
    struct Bypass: Sendable, CustomTestStringConvertible {
        var name: String
        var changes: [String: String?]
        /// Text the report must hold (an error, a lock change or a scenario message) to name the mechanism.
        var named: String

        var testDescription: String { name }
    }

    static let failing = "tests/test_core.py::test_denies_without_tokens"

    static let code = """
        def allow(tokens):
            return True  # broken: a bucket without tokens must deny
        """

    static let files: [String: String] = [
        "bucket.py": code + "\n",
        "tests/test_core.py": """
        from bucket import allow

        def test_allows_with_tokens():
            assert allow(3) is True

        def _denied(allowed):
            assert allowed is False

        def test_denies_without_tokens():
            _denied(allow(0))

        """,
        "pyproject.toml": "[project]\nname = \"pilot\"\nversion = \"1.0\"\n",
    ]

    /// The pilot-like scope in `sandbox` (the venv and Docker sandboxes install pytest offline).
    static func scope(in sandbox: HostileSandbox) -> String {
        let dependencies = sandbox == .jail ? "" : #", "dependencies": ["pytest"]"#
        return """
            {"scope_id": "pilot-like", "environment": {"type": "\(sandbox.rawValue)"\(dependencies)},
             "scenarios": [{"id": "UNIT-001", "execution": {"runner": "pytest", "target": "tests/test_core.py"}}]}
            """
    }

    /// Python that registers a plugin in the running pytest from wherever it is imported: the
    /// configuration object is found among the live objects.
    static func registering(_ plugin: String) -> String {
        """
        import gc as _gc
        import pytest
        import _pytest.config as _config
        class _Plugin:
        \(plugin.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        for _object in _gc.get_objects():
            if isinstance(_object, _config.Config):
                _object.pluginmanager.register(_Plugin(), "quiet")
                break

        """
    }

    static let deselecting = registering(
        """
        def pytest_collection_modifyitems(self, config, items):
            items[:] = [item for item in items if "denies" not in item.nodeid]
        """
    )

    /// A plugin that turns every failed report into a pass (the JUnit file and pytest's closing line agree).
    static let forging = """
        import pytest

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_makereport(item, call):
            outcome = yield
            report = outcome.get_result()
            if report.failed:
                report.outcome = "passed"
                report.longrepr = None
        """

    /// The hook of ``forging`` as a method, for ``registering(_:)``.
    static let forgingHook = """
        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_makereport(self, item, call):
            outcome = yield
            report = outcome.get_result()
            if report.failed:
                report.outcome = "passed"
                report.longrepr = None
        """

    static let bypasses: [Bypass] = [
        Bypass(
            name: "pyproject.toml dotted key addopts (the issue's reproduction)",
            changes: [
                "pyproject.toml": files["pyproject.toml"]!
                    + "[tool]\npytest.ini_options = { addopts = \"-k 'not denies'\" }\n"
            ],
            named: "pyproject.toml#tool.pytest (parsed)"
        ),
        Bypass(
            name: "pyproject.toml top-level dotted key",
            changes: [
                "pyproject.toml": "tool.pytest.ini_options.addopts = \"-k 'not denies'\"\n" + files["pyproject.toml"]!
            ],
            named: "pyproject.toml#tool.pytest (parsed)"
        ),
        Bypass(
            name: "pyproject.toml [tool.pytest.ini_options] section",
            changes: [
                "pyproject.toml": files["pyproject.toml"]!
                    + "[tool.pytest.ini_options]\naddopts = \"-k 'not denies'\"\n"
            ],
            named: "pyproject.toml#tool.pytest.ini_options"
        ),
        Bypass(
            name: "setup.cfg [tool:pytest] addopts",
            changes: ["setup.cfg": "[metadata]\nname = pilot\n[tool:pytest]\naddopts = -k \"not denies\"\n"],
            named: "setup.cfg#tool:pytest"
        ),
        Bypass(
            name: "setup.cfg section hidden after carriage returns",
            changes: ["setup.cfg": "[metadata]\nname = pilot\r[tool:pytest]\raddopts = -k \"not denies\"\n"],
            named: "setup.cfg#tool:pytest (parsed)"
        ),
        Bypass(
            name: "tox.ini [pytest] addopts",
            changes: ["tox.ini": "[tox]\nenvlist = py311\n[pytest]\naddopts: -k \"not denies\"\n"],
            named: "tox.ini#pytest"
        ),
        Bypass(
            name: "pytest.ini in a subfolder moves the rootdir",
            changes: ["tests/pytest.ini": "[pytest]\naddopts = -k \"not denies\"\n"],
            named: "tests/pytest.ini"
        ),
        Bypass(
            name: "conftest.py added in a subfolder",
            changes: ["tests/conftest.py": "collect_ignore = [\"test_core.py\"]\n" + deselecting],
            named: "tests/conftest.py"
        ),
        Bypass(
            name: "sitecustomize.py",
            changes: ["sitecustomize.py": "import os\nos.environ['PYTEST_ADDOPTS'] = \"-k 'not denies'\"\n"],
            named: "sitecustomize.py"
        ),
        Bypass(
            name: "a .pth file",
            changes: ["quiet.pth": "import os; os.environ['PYTEST_ADDOPTS'] = \"-k 'not denies'\"\n"],
            named: "quiet.pth"
        ),
        Bypass(
            name: "pytest.py shadowing pytest",
            changes: ["pytest.py": "import sys\nsys.exit(0)\n"],
            named: "pytest.py"
        ),
        Bypass(
            name: "pytest_collection_modifyitems registered from the code under test",
            changes: ["bucket.py": deselecting + code + "\n"],
            named: "law case not executed: \(failing)"
        ),
        Bypass(
            name: "tests/__init__.py (not locked) registers a deselecting plugin",
            changes: ["tests/__init__.py": deselecting],
            named: "law case not executed: \(failing)"
        ),
        Bypass(
            name: "pytest.skip() from the code under test",
            changes: [
                "bucket.py":
                    "import pytest\n\ndef allow(tokens):\n    if tokens == 0:\n        pytest.skip('not today')\n    return True\n"
            ],
            named: "law case not executed: \(failing)"
        ),
        Bypass(
            name: "pytest.xfail() from the code under test",
            changes: [
                "bucket.py":
                    "import pytest\n\ndef allow(tokens):\n    if tokens == 0:\n        pytest.xfail('known')\n    return True\n"
            ],
            named: "law case not executed: \(failing)"
        ),
        Bypass(
            name: "a skip marker added from the code under test at collection",
            changes: [
                "bucket.py": registering(
                    """
                    def pytest_collection_modifyitems(self, config, items):
                        import pytest
                        for item in items:
                            item.add_marker(pytest.mark.skip(reason="quiet"))
                    """
                ) + code + "\n"
            ],
            named: "law case not executed: \(failing)"
        ),
        Bypass(
            name: "os._exit(0) in the code under test",
            changes: [
                "bucket.py":
                    "import os\n\ndef allow(tokens):\n    if tokens == 0:\n        os._exit(0)\n    return True\n"
            ],
            named: "law case not executed: \(failing)"
        ),
        Bypass(
            name: "sys.exit(0) at import of the code under test",
            changes: ["bucket.py": "import sys\nsys.exit(0)\n" + code + "\n"],
            named: "law case not executed: \(failing)"
        ),
        Bypass(
            name: "the code under test writes a passing JUnit file during the run",
            changes: [
                "bucket.py": """
                import sys
                for _argument in sys.argv:
                    if _argument.startswith("--junitxml="):
                        with open(_argument.split("=", 1)[1], "w") as _out:
                            _out.write('<testsuite><testcase classname="tests.test_core" name="test_denies_without_tokens"/></testsuite>')
                """ + "\n" + code + "\n"
            ],
            named: "test_denies_without_tokens"
        ),
        Bypass(
            name: "the code under test rewrites the JUnit file at exit and exits 0",
            changes: [
                "bucket.py": """
                import atexit, os, sys
                def _forge():
                    for argument in sys.argv:
                        if argument.startswith("--junitxml="):
                            with open(argument.split("=", 1)[1], "w") as out:
                                out.write('<testsuite><testcase classname="tests.test_core" name="test_allows_with_tokens"/>'
                                          '<testcase classname="tests.test_core" name="test_denies_without_tokens"/></testsuite>')
                    os._exit(0)
                atexit.register(_forge)
                """ + "\n" + code + "\n"
            ],
            named: "the results were rewritten after pytest wrote them"
        ),
        Bypass(
            name: "the code under test deletes the test file at run time",
            changes: [
                "bucket.py": "import os\nos.remove(os.path.join(os.path.dirname(__file__), 'tests', 'test_core.py'))\n"
                    + code + "\n"
            ],
            named: "test_denies_without_tokens"
        ),
        Bypass(
            name: "a .dist-info at the root whose pytest11 entry point forges outcomes",
            changes: [
                "forged.dist-info/METADATA": "Metadata-Version: 2.1\nName: forged\nVersion: 1.0\n",
                "forged.dist-info/entry_points.txt": "[pytest11]\nforged = forged_plugin\n",
                "forged_plugin.py": forging,
            ],
            // The plugin never loads (only the environment's distributions may declare plugins): the
            // broken code's failure stands.
            named: "1 test failed: test_denies_without_tokens"
        ),
        Bypass(
            name: "the code under test monkeypatches the test's assertion helper",
            changes: [
                "bucket.py": """
                import sys

                def allow(tokens):
                    for module in list(sys.modules.values()):
                        if hasattr(module, "_denied"):
                            module._denied = lambda allowed: None
                    return True

                """
            ],
            named:
                "the law was changed while the tests ran: tests/test_core.py: _denied was replaced by code from bucket.py"
        ),
        Bypass(
            name: "the code under test registers an outcome-forging plugin at run time",
            changes: ["bucket.py": registering(forgingHook) + code + "\n"],
            named: "a pytest plugin was registered at run time by bucket.py"
        ),
        Bypass(
            name: "the test file is deleted before the run",
            changes: ["tests/test_core.py": nil],
            named: "tests/test_core.py"
        ),
    ]

    /// Locks the pilot-like workspace (files and ledger, listed in `sandbox`), applies `changes`,
    /// and runs it against the lock in the same sandbox.
    static func lockedRun(_ changes: [String: String?], in sandbox: HostileSandbox = .jail) async throws -> TaaSReport {
        let fixture = try RunFixture(files: files)
        defer { fixture.remove() }
        let scope = try RunFixture.scope(Self.scope(in: sandbox))
        var options = RunOptions(
            workspace: fixture.workspace,
            outputDirectory: fixture.output,
            sandbox: sandbox.sandbox,
            cacheDirectory: TestEnvironment.cacheDirectory
        )
        options.offline = true
        // The bypasses are no resource bombs: Docker gets ordinary limits (pip needs more than the bombs' 64 pids).
        if sandbox == .docker { options.limits = ResourceLimits(memoryMB: 1024, pids: 256, cpus: 1) }
        var lock = try ScopeLock.make(for: scope, workspace: fixture.workspace)
        lock.ledger = try await LedgerCollector(options: options).collect(scope)
        #expect(
            lock.ledger?.scenarios["UNIT-001"]?.cases?.map(\.id) == [
                "tests/test_core.py::test_allows_with_tokens", failing,
            ]
        )
        for (path, content) in changes {
            let url = fixture.workspace.appendingPathComponent(path)
            if let content {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                try content.write(to: url, atomically: true, encoding: .utf8)
            } else {
                try FileManager.default.removeItem(at: url)
            }
        }
        let lockFile = fixture.root.appendingPathComponent("scope.lock.json")
        var run = options
        run.lockCheck = try LockVerifier.verify(
            scope,
            scopeFile: "scope.json",
            workspace: fixture.workspace,
            against: lock,
            lockFile: lockFile
        )
        return await Harness(options: run).execute(scope)
    }

    /// Everything the report says, for finding the mechanism's name.
    static func text(of report: TaaSReport) -> String {
        (report.errors.map(\.message) + report.scenarios.compactMap(\.message)
            + report.scenarios.flatMap(\.cases).map { "\($0.name) \($0.verdict) \($0.message ?? "")" }
            + report.scenarios.flatMap(\.attempts).compactMap(\.message)).joined(separator: "\n")
    }

    @Test(arguments: HostileSandbox.available)
    func withoutABypassTheBrokenCodeFails(in sandbox: HostileSandbox) async throws {
        let report = try await Self.lockedRun([:], in: sandbox)
        #expect(report.lockStatus == .verified)
        #expect(report.verdict == .fail, "\(Self.text(of: report))")
        #expect(report.scenarios.first?.cases.count == 2)
    }

    @Test(arguments: bypasses)
    func aBypassNeverPassesInTheJail(_ bypass: Bypass) async throws {
        try await Self.check(bypass, in: .jail)
    }

    /// The same battery in the venv and Docker sandboxes (Docker only when an engine answers).
    @Test(arguments: HostileSandbox.available.filter { $0 != .jail }, bypasses)
    func aBypassNeverPassesInTheOtherSandboxes(in sandbox: HostileSandbox, _ bypass: Bypass) async throws {
        try await Self.check(bypass, in: sandbox)
    }

    static func check(_ bypass: Bypass, in sandbox: HostileSandbox) async throws {
        let report = try await Self.lockedRun(bypass.changes, in: sandbox)
        let text = Self.text(of: report)
        #expect(report.verdict == .fail || report.verdict == .error, "\(bypass.name): \(report.verdict)\n\(text)")
        #expect(text.contains(bypass.named), "\(bypass.name) is not named (\(bypass.named)):\n\(text)")
    }
}
