import Foundation
import TaaSCore
import Testing

@testable import TaaSIntegrity

/// pytest's configuration read with real parsers: every TOML and INI spelling of a setting is the
/// same setting, and the lock catches a change of meaning however it is written.
@Suite struct PytestConfigurationTests {
    static let scopeJSON =
        #"{"scope_id": "law", "scenarios": [{"id": "UNIT", "execution": {"runner": "pytest", "target": "tests/test_core.py"}}]}"#
    static let pyproject = "[project]\nname = \"app\"\nversion = \"1.0\"\n"

    // MARK: - TOML

    @Test(arguments: [
        "[tool.pytest.ini_options]\naddopts = \"-k x\"\n",
        "[tool]\npytest.ini_options = { addopts = \"-k x\" }\n",
        "[tool]\npytest.ini_options.addopts = \"-k x\"\n",
        "tool.pytest.ini_options.addopts = \"-k x\"\n",
        "tool = { pytest = { ini_options = { addopts = \"-k x\" } } }\n",
        "[tool.pytest]\nini_options = { addopts = '-k x' }\n",
        "[tool.\"pytest\".ini_options]\naddopts = \"\"\"-k x\"\"\"\n",
    ])
    func everyTOMLSpellingOfATableReadsTheSame(text: String) throws {
        // Top-level keys first: after `[project]` they would belong to the project table.
        let table = try PyprojectFile.pytestTable(in: text + "\n" + Self.pyproject)
        #expect(
            table
                == .object([
                    JSONMember(key: "ini_options", value: .object([JSONMember(key: "addopts", value: .string("-k x"))]))
                ])
        )
        #expect(PyprojectFile.configuresPytest(text + "\n" + Self.pyproject))
    }

    @Test func arraysOfTablesAndTypedValuesAreRead() throws {
        let text = """
            [[tool.pytest.ini_options.markers]]
            name = "slow"
            [[tool.pytest.ini_options.markers]]
            name = "db"
            [tool.pytest.ini_options]
            minversion = 7
            xfail_strict = true
            """
        let table = try #require(try PyprojectFile.pytestTable(in: text))
        let data = String(decoding: CanonicalJSON.data(table), as: UTF8.self)
        #expect(data.contains(#""markers":[{"name":"slow"},{"name":"db"}]"#))
        #expect(data.contains(#""minversion":{"int":"7"}"#))
        #expect(data.contains(#""xfail_strict":true"#))
    }

    @Test func aPyprojectWithoutPytestIsNotAConfigurationAndInvalidTOMLThrows() throws {
        #expect(try PyprojectFile.pytestTable(in: Self.pyproject + "[tool.black]\nline-length = 100\n") == nil)
        // A dotted key under `[project]` is the project's, as pytest reads it too.
        #expect(try PyprojectFile.pytestTable(in: Self.pyproject + "tool.pytest.ini_options.addopts = '-k x'\n") == nil)
        #expect(!PyprojectFile.configuresPytest(Self.pyproject))
        #expect(throws: IntegrityError.self) { try PyprojectFile.pytestTable(in: "[tool\npytest = 1\n") }
        #expect(PyprojectFile.configuresPytest("[tool\npytest = 1\n"))
    }

    // MARK: - INI

    @Test func iniFilesFollowPytestsRules() throws {
        let file = try INIFile(
            parsing: """
                # a comment
                [pytest]  ; header comment
                addopts = -q
                    -k "not slow"
                ; another comment
                markers: slow: marks slow tests
                python_files=check_*.py
                Testpaths = tests

                [other]
                addopts = ignored
                """
        )
        #expect(
            file.section("pytest") == [
                .init(key: "addopts", value: "-q\n-k \"not slow\""),
                .init(key: "markers", value: "slow: marks slow tests"),
                .init(key: "python_files", value: "check_*.py"),
                .init(key: "Testpaths", value: "tests"),
            ]
        )
        #expect(file.section("other") == [.init(key: "addopts", value: "ignored")])
        #expect(file.section("tool:pytest") == nil)
    }

    @Test func linesAreCutWherePythonCutsThem() throws {
        // A section hidden after a carriage return or a form feed is still a section for pytest.
        for separator in ["\r", "\u{0C}", "\u{1E}", "\u{2028}"] {
            let file = try INIFile(parsing: "[tox]\nenvlist = py311\(separator)[pytest]\(separator)addopts = -k x\n")
            #expect(file.section("pytest") == [.init(key: "addopts", value: "-k x")], "\(separator.debugDescription)")
        }
        #expect(
            try INIFile(parsing: "[pytest]\naddopts = -q\n[not a header\n").section("pytest")
                == [.init(key: "addopts", value: "-q\n[not a header")]
        )
    }

    @Test(arguments: [
        "[pytest]\naddopts = -q\naddopts = -x\n",
        "[pytest]\n[pytest]\n",
        "addopts = -q\n",
        "[pytest]\njust words\n",
        "[pytest\naddopts = -q\n",
        "[]\n",
        "[pytest]\n  continued\n",
    ])
    func invalidINIFilesAreRefused(text: String) {
        #expect(throws: INIFile.ParseError.self) { try INIFile(parsing: text) }
    }

    @Test func theSameSettingsInAnotherSpellingHaveTheSameMeaning() {
        let one = PytestConfiguration.settings(
            of: "setup.cfg",
            text: "[metadata]\nname = x\n[tool:pytest]\naddopts = -q\n"
        )
        let two = PytestConfiguration.settings(
            of: "setup.cfg",
            text: "[tool:pytest] # c\naddopts: -q\n\n[metadata]\nname = y\n"
        )
        #expect(one != nil && one == two)
        #expect(PytestConfiguration.settings(of: "tox.ini", text: "[tox]\nenvlist = py311\n") == nil)
        #expect(PytestConfiguration.settings(of: "pytest.ini", text: "") == .object([]))
    }

    // MARK: - Which file pytest picks

    func effective(_ files: [String: String], from start: String) throws -> PytestConfiguration {
        try PytestConfiguration.effective(startingAt: start) { path in files[path] }
    }

    @Test func pytestIniWinsEvenWhenEmptyThenPyprojectThenToxThenSetupCfg() throws {
        var files = [
            "pytest.ini": "",
            "pyproject.toml": "[tool.pytest.ini_options]\naddopts = \"-q\"\n",
            "tox.ini": "[pytest]\naddopts = -x\n",
            "setup.cfg": "[tool:pytest]\naddopts = -s\n",
        ]
        #expect(try effective(files, from: "tests").file == "pytest.ini")
        files["pytest.ini"] = nil
        #expect(try effective(files, from: "tests").file == "pyproject.toml")
        files["pyproject.toml"] = Self.pyproject
        #expect(try effective(files, from: "tests").file == "tox.ini")
        files["tox.ini"] = "[tox]\n"
        #expect(try effective(files, from: "tests").file == "setup.cfg")
        files["setup.cfg"] = nil
        #expect(try effective(files, from: "tests") == PytestConfiguration(file: nil, settings: .null))
        files["tests/unit/tox.ini"] = "[pytest]\n"
        #expect(try effective(files, from: "tests/unit").file == "tests/unit/tox.ini")
        #expect(try effective(files, from: "tests").file == nil)
    }

    // MARK: - The lock

    @Test func theIssuesReproductionIsAMismatch() throws {
        let workspace = try Workspace([
            "tests/test_core.py": "def test_token_bucket_allows():\n    assert False\n",
            "pyproject.toml": Self.pyproject,
        ])
        defer { workspace.remove() }
        let scope = try Workspace.scope(Self.scopeJSON)
        let lock = try ScopeLock.make(for: scope, workspace: workspace.root)
        try workspace.write(
            "pyproject.toml",
            Self.pyproject
                + "[tool]\npytest.ini_options = { addopts = \"-k 'not token_bucket_allows and not refills_over_time'\" }\n"
        )
        let check = try LockVerifier.verify(
            scope,
            scopeFile: "scope.json",
            workspace: workspace.root,
            against: lock,
            lockFile: workspace.root.appendingPathComponent("scope.lock.json")
        )
        #expect(check.status == .mismatch)
        #expect(
            check.changes.map(\.path).sorted() == ["#pytest-configuration:UNIT", "pyproject.toml#tool.pytest (parsed)"]
        )
    }

    @Test(arguments: [
        (
            "pyproject.toml", "[tool.pytest.ini_options]\naddopts = \"-q\"\n",
            "[tool]\npytest.ini_options.addopts = \"-q -k not_x\"\n"
        ),
        (
            "pyproject.toml", "[tool.pytest.ini_options]\naddopts = \"-q\"\n",
            "[tool.pytest.ini_options]\naddopts = \"-q\"\n[tool.other]\nx = 1\n[tool.pytest.ini_options.extra]\ny = 1\n"
        ),
        ("setup.cfg", "[tool:pytest]\naddopts = -q\n", "[tool:pytest]\naddopts = -q\n    -k not_x\n"),
        ("tox.ini", "[pytest]\naddopts = -q\n", "[pytest]\naddopts: -q -k not_x\n"),
    ])
    func aChangeOfMeaningInASharedFileIsCaught(file: String, before: String, after: String) throws {
        let workspace = try Workspace(["tests/test_core.py": "def test_a(): pass\n", file: before])
        defer { workspace.remove() }
        let scope = try Workspace.scope(Self.scopeJSON)
        let lock = try ScopeLock.make(for: scope, workspace: workspace.root)
        try workspace.write(file, after)
        let check = try LockVerifier.verify(
            scope,
            scopeFile: "scope.json",
            workspace: workspace.root,
            against: lock,
            lockFile: workspace.root.appendingPathComponent("scope.lock.json")
        )
        #expect(check.status == .mismatch)
        #expect(check.changes.contains { $0.path == "#pytest-configuration:UNIT" })
    }

    @Test func aConfigurationAddedNearerTheTestsIsCaught() throws {
        let workspace = try Workspace([
            "tests/test_core.py": "def test_a(): pass\n", "setup.cfg": "[tool:pytest]\naddopts = -q\n",
        ])
        defer { workspace.remove() }
        let scope = try Workspace.scope(Self.scopeJSON)
        let lock = try ScopeLock.make(for: scope, workspace: workspace.root)
        try workspace.write("tests/pyproject.toml", "tool.pytest.ini_options.addopts = '-k nothing'\n")
        let check = try LockVerifier.verify(
            scope,
            scopeFile: "scope.json",
            workspace: workspace.root,
            against: lock,
            lockFile: workspace.root.appendingPathComponent("scope.lock.json")
        )
        #expect(check.status == .mismatch)
        #expect(check.changes.map(\.path).contains("#pytest-configuration:UNIT"))
        #expect(check.changes.map(\.path).contains("tests/pyproject.toml#tool.pytest (parsed)"))
    }

    @Test func theRestOfASharedFileMayStillChange() throws {
        let workspace = try Workspace([
            "tests/test_core.py": "def test_a(): pass\n",
            "pyproject.toml": Self.pyproject + "[tool.pytest.ini_options]\naddopts = \"-q\"\n",
        ])
        defer { workspace.remove() }
        let scope = try Workspace.scope(Self.scopeJSON)
        let lock = try ScopeLock.make(for: scope, workspace: workspace.root)
        try workspace.write(
            "pyproject.toml",
            Self.pyproject.replacingOccurrences(of: "1.0", with: "2.0")
                + "[tool.black]\nx = 1\n[tool.pytest.ini_options]\naddopts = \"-q\"\n"
        )
        let check = try LockVerifier.verify(
            scope,
            scopeFile: "scope.json",
            workspace: workspace.root,
            against: lock,
            lockFile: workspace.root.appendingPathComponent("scope.lock.json")
        )
        #expect(check.status == .verified)
    }
}
