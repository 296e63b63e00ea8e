import Foundation
import TaaSCore
import Testing

@testable import TaaSIntegrity

@Suite struct LawFilesTests {
    static let scopeJSON = #"""
        {"scope_id": "law", "scenarios": [
          {"id": "UNIT", "execution": {"runner": "pytest", "target": "tests/unit"}},
          {"id": "ONE", "execution": {"runner": "pytest", "target": "./checks/test_one.py::test_it"}},
          {"id": "CMD", "command": "true"}],
         "integrity": {"locked": ["fixtures/**/*.json"]}}
        """#

    static let files: [String: String] = [
        "tests/unit/test_a.py": "def test_a(): pass\n",
        "tests/unit/helpers/data.txt": "x\n",
        "tests/unit/__pycache__/test_a.cpython-311.pyc": "bytecode",
        "tests/other/test_not_a_target.py": "def test_b(): pass\n",
        "checks/test_one.py": "def test_it(): pass\n",
        "checks/test_two.py": "def test_two(): pass\n",
        "conftest.py": "pytest_plugins = ['plugins.outcomes', \"tests.shared\"]\n",
        "plugins/outcomes.py": "def pytest_runtest_makereport(item, call): pass\n",
        "tests/shared/__init__.py": "",
        "tests/shared/fixtures.py": "",
        "src/app/conftest.py": "",
        "pytest.ini": "[pytest]\naddopts = -p localplugin -p no:cacheprovider\n",
        "localplugin.py": "",
        "pyproject.toml":
            "[project]\nname = \"app\"\nversion = \"1.0\"\n\n[tool.pytest.ini_options]\naddopts = \"-q\"\n\n[tool.black]\nline-length = 100\n",
        "setup.cfg": "[metadata]\nname = app\n[tool:pytest]\nxfail_strict = true\n",
        "tox.ini": "[tox]\nenvlist = py311\n",
        "pytest.py": "# shadows pytest\n",
        "fixtures/api/users.json": "{}",
        "fixtures/readme.md": "",
        "app.py": "def add(a, b): return a + b\n",
        ".venv/pyvenv.cfg": "home = /usr/bin\n",
        ".venv/lib/conftest.py": "",
    ]

    @Test func theDefaultLawCoversTargetsConfigurationPluginsShadowsAndLockedGlobs() throws {
        let workspace = try Workspace(Self.files)
        defer { workspace.remove() }
        let law = try LawFiles(scope: try Workspace.scope(Self.scopeJSON), workspace: workspace.root).collect()
        #expect(
            law.map(\.path) == [
                "#pytest-configuration:ONE",
                "#pytest-configuration:UNIT",
                "checks/test_one.py",
                "conftest.py",
                "fixtures/api/users.json",
                "localplugin.py",
                "plugins/outcomes.py",
                "pyproject.toml#tool.pytest (parsed)",
                "pyproject.toml#tool.pytest.ini_options",
                "pytest.ini",
                "pytest.py",
                "setup.cfg#tool:pytest",
                "setup.cfg#tool:pytest (parsed)",
                "src/app/conftest.py",
                "tests/shared/__init__.py",
                "tests/shared/fixtures.py",
                "tests/unit/helpers/data.txt",
                "tests/unit/test_a.py",
            ]
        )
        #expect(law.allSatisfy { $0.digest.hasPrefix("sha256:") && $0.digest.count == 71 })
    }

    @Test func eachRunnerLocksWhereItsTestsAreAndNotTheCodeUnderTest() throws {
        let workspace = try Workspace([
            "svc/go.mod": "module svc\n", "svc/calc/calc.go": "package calc\n",
            "svc/calc/calc_test.go": "package calc\n",
            "crate/Cargo.toml": "[package]\n", "crate/src/lib.rs": "", "crate/tests/it.rs": "",
            "pkg/Package.swift": "", "pkg/Sources/Lib/Lib.swift": "", "pkg/Tests/LibTests/LibTests.swift": "",
            "web/test/app.test.js": "", "web/app.js": "",
            "py/tests/test_core.py": "", "py/core.py": "",
            "reports/out.xml": "<testsuite/>", "run-tests.sh": "",
        ])
        defer { workspace.remove() }
        let scope = try Workspace.scope(
            #"""
            {"scope_id": "mix", "scenarios": [
              {"id": "GO", "execution": {"runner": "go", "target": "./...", "cwd": "svc"}},
              {"id": "CARGO", "execution": {"runner": "cargo", "target": "crate"}},
              {"id": "SWIFT", "execution": {"runner": "swift", "target": "pkg"}},
              {"id": "NODE", "execution": {"runner": "node", "target": "test", "cwd": "web"}},
              {"id": "UT", "execution": {"runner": "unittest", "target": "tests.test_core", "cwd": "py"}},
              {"id": "JUNIT", "execution": {"runner": "junit", "target": "reports/out.xml", "command": "sh run-tests.sh"}}]}
            """#
        )
        let law = try LawFiles(scope: scope, workspace: workspace.root).collect()
        #expect(
            law.map(\.path) == [
                "crate/tests/it.rs", "pkg/Tests/LibTests/LibTests.swift", "py/tests/test_core.py",
                "svc/calc/calc_test.go",
                "web/test/app.test.js",
            ]
        )
    }

    @Test func aSectionDigestChangesOnlyWithItsOwnLines() throws {
        let workspace = try Workspace(Self.files)
        defer { workspace.remove() }
        let scope = try Workspace.scope(Self.scopeJSON)
        let before = try LawFiles(scope: scope, workspace: workspace.root).collect()
        try workspace.write(
            "pyproject.toml",
            Self.files["pyproject.toml"]!.replacingOccurrences(of: "1.0", with: "2.0")
        )
        #expect(try LawFiles(scope: scope, workspace: workspace.root).collect() == before)
        try workspace.write(
            "pyproject.toml",
            Self.files["pyproject.toml"]!.replacingOccurrences(of: "-q", with: "-p evil")
        )
        let after = try LawFiles(scope: scope, workspace: workspace.root).collect()
        #expect(
            after.first { $0.path == "pyproject.toml#tool.pytest.ini_options" }
                != before.first { $0.path == "pyproject.toml#tool.pytest.ini_options" }
        )
    }

    @Test func aPluginThatATestModuleNamesIsLaw() throws {
        let workspace = try Workspace([
            "tests/test_a.py": "pytest_plugins = ['helpers.quiet']\ndef test_a(): pass\n",
            "helpers/quiet.py": "def pytest_collection_modifyitems(items): items.clear()\n",
            "helpers/other.py": "",
        ])
        defer { workspace.remove() }
        let scope = try Workspace.scope(
            #"{"scope_id": "s", "scenarios": [{"id": "A", "execution": {"runner": "pytest", "target": "tests"}}]}"#
        )
        let law = try LawFiles(scope: scope, workspace: workspace.root).collect()
        #expect(law.map(\.path) == ["#pytest-configuration:A", "helpers/quiet.py", "tests/test_a.py"])
    }

    @Test func aSymbolicLinkIsRecordedByItsTargetAndNeverFollowed() throws {
        let workspace = try Workspace(["tests/test_a.py": ""])
        defer { workspace.remove() }
        try FileManager.default.createSymbolicLink(
            atPath: workspace.root.appendingPathComponent("tests/secret.py").path,
            withDestinationPath: "/etc/shadow"
        )
        let scope = try Workspace.scope(
            #"{"scope_id": "s", "scenarios": [{"id": "A", "execution": {"runner": "pytest", "target": "tests"}}]}"#
        )
        let law = try LawFiles(scope: scope, workspace: workspace.root).collect()
        #expect(law.first { $0.path == "tests/secret.py" }?.digest == FileDigest.of(Data("symlink:/etc/shadow".utf8)))
    }

    @Test(arguments: [
        ("pytest_plugins = ['a.b', \"c\"]", ["a.b", "c"]),
        ("pytest_plugins = (\n  'x',\n  'y.z',\n)", ["x", "y.z"]),
        ("pytest_plugins = 'single'", ["single"]),
        ("plugins = ['not.this']", []),
    ])
    func pluginNamesAreReadFromConftests(source: String, names: [String]) {
        #expect(LawFiles.pytestPluginsNames(in: source) == names)
    }

    @Test func pluginOptionsSkipDisabledPluginsAndOtherOptions() {
        #expect(
            LawFiles.optionPluginNames(in: "addopts = -p one --pyargs -pno:two -p no:three \"-p\" four -ptwo") == [
                "one", "four", "two",
            ]
        )
    }
}
