import Foundation
import TaaSCore
import TaaSEngine
import TaaSRunners
import TaaSSandboxes
import Testing

/// The unittest, junit, node, go, cargo and swift runners against tiny real projects, each in the
/// jail when its toolchain is visible there. A test whose toolchain is missing is skipped with the
/// reason printed.
@Suite(.serialized) struct ToolRunnerTests {
    private func byName(_ cases: [CaseResult]) -> [String: CaseResult] {
        Dictionary(cases.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private func scope(_ execution: String, env: String = "", timeout: Int = 600) -> String {
        #"{"scope_id": "tools", "scenarios": [{"id": "T", "timeout_seconds": \#(timeout), "execution": {\#(execution)}\#(env.isEmpty ? "" : ", \"env\": " + env)}]}"#
    }

    // MARK: unittest

    static let unittestCases = """
        import unittest

        class Mix(unittest.TestCase):
            def test_adds(self):
                self.assertEqual(1 + 1, 2)

            def test_breaks(self):
                self.assertEqual("gateway", "gatewy", "names differ")

            @unittest.skip("not today")
            def test_skipped(self):
                pass

            def test_sub(self):
                for i in range(3):
                    with self.subTest(i=i):
                        self.assertLess(i, 2)
        """

    @Test func unittestReportsCasesAndSubtests() async throws {
        let fixture = try RunFixture(files: ["tests/test_mix.py": Self.unittestCases])
        defer { fixture.remove() }
        let report = try await fixture.run(scope(#""runner": "unittest", "target": "tests""#))
        let scenario = report.scenarios[0]
        #expect(scenario.verdict == .fail)
        let cases = byName(scenario.cases)
        #expect(cases["test_adds"]?.verdict == .pass)
        #expect(cases["test_adds"]?.classname == "test_mix.Mix")
        #expect(cases["test_breaks"]?.verdict == .fail)
        #expect(cases["test_breaks"]?.message?.contains("names differ") == true)
        #expect(cases["test_skipped"]?.verdict == .skipped)
        #expect(cases["test_skipped"]?.message == "not today")
        #expect(cases["test_sub (i=2)"]?.verdict == .fail)
        #expect(scenario.message?.contains("2 tests failed") == true, "\(scenario.message ?? "")")
    }

    @Test func unittestFileTargetWithArgsPasses() async throws {
        let fixture = try RunFixture(files: ["tests/test_mix.py": Self.unittestCases])
        defer { fixture.remove() }
        let report = try await fixture.run(
            scope(#""runner": "unittest", "target": "tests/test_mix.py", "args": ["-k", "adds"]"#)
        )
        #expect(report.verdict == .pass, "\(report.scenarios[0].message ?? "")")
        #expect(report.scenarios[0].cases.map(\.name) == ["test_adds"])
    }

    @Test func unittestImportFailureIsAnError() async throws {
        let fixture = try RunFixture(files: ["tests/test_bad.py": "import no_such_module_here\n"])
        defer { fixture.remove() }
        let report = try await fixture.run(scope(#""runner": "unittest", "target": "tests""#))
        #expect(report.scenarios[0].verdict == .error)
        #expect(
            report.scenarios[0].message?.contains("no_such_module_here") == true,
            "\(report.scenarios[0].message ?? "")"
        )
    }

    @Test func unittestWithNoTestsIsAnError() async throws {
        let fixture = try RunFixture(files: ["tests/helper.py": "x = 1\n"])
        defer { fixture.remove() }
        let report = try await fixture.run(scope(#""runner": "unittest", "target": "tests""#))
        #expect(report.scenarios[0].verdict == .error)
        #expect(report.scenarios[0].message?.contains("no tests") == true, "\(report.scenarios[0].message ?? "")")
    }

    // MARK: junit

    static let junitWriter = """
        import sys
        open(sys.argv[1], "w").write('''<testsuite name="s">
        <testcase classname="pkg.Calc" name="adds" time="0.5"/>
        <testcase classname="pkg.Calc" name="breaks"><failure message="sums differ">expected 3</failure></testcase>
        </testsuite>''')
        sys.exit(int(sys.argv[2]))
        """

    @Test func junitReadsTheFileTheCommandWritesInItsWorkingDirectory() async throws {
        let fixture = try RunFixture(files: ["sub/write.py": Self.junitWriter, "sub/out/keep": ""])
        defer { fixture.remove() }
        let report = try await fixture.run(
            scope(
                #""runner": "junit", "command": "python3 write.py out/r.xml \"$CODE\"", "target": "out/r.xml", "cwd": "sub""#,
                env: #"{"CODE": "1"}"#
            )
        )
        let scenario = report.scenarios[0]
        #expect(scenario.verdict == .fail, "\(scenario.message ?? "")")
        let cases = byName(scenario.cases)
        #expect(cases["adds"]?.verdict == .pass)
        #expect(cases["adds"]?.durationMS == 500)
        #expect(cases["breaks"]?.verdict == .fail)
        #expect(cases["breaks"]?.message?.contains("sums differ") == true)
    }

    @Test func junitWithoutItsFileIsAnError() async throws {
        let fixture = try RunFixture(files: ["report.xml": "<testsuite><testcase name=\"stale\"/></testsuite>"])
        defer { fixture.remove() }
        let report = try await fixture.run(scope(#""runner": "junit", "command": "true", "target": "report.xml""#))
        #expect(report.scenarios[0].verdict == .error)
        #expect(
            report.scenarios[0].message?.contains("wrote no JUnit XML file") == true,
            "\(report.scenarios[0].message ?? "")"
        )
    }

    @Test func missingWorkingDirectoryIsAnError() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            scope(#""runner": "junit", "command": "true", "target": "r.xml", "cwd": "nope""#)
        )
        #expect(report.scenarios[0].verdict == .error)
        #expect(
            report.scenarios[0].message?.contains("working directory") == true,
            "\(report.scenarios[0].message ?? "")"
        )
    }

    // MARK: args, cwd and env on the existing runners

    @Test func pytestTakesArgsAndCwd() async throws {
        let fixture = try RunFixture(files: [
            "sub/test_two.py": "def test_kept():\n    pass\n\ndef test_dropped():\n    assert False\n"
        ])
        defer { fixture.remove() }
        let report = try await fixture.run(
            scope(#""runner": "pytest", "target": "test_two.py", "cwd": "sub", "args": ["-k", "kept"]"#)
        )
        #expect(report.verdict == .pass, "\(report.scenarios[0].message ?? "")")
        #expect(report.scenarios[0].cases.map(\.name) == ["test_kept"])
    }

    @Test func scenarioEnvReachesACommandOverTheScopeEnv() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            #"""
            {"scope_id": "env", "environment": {"env": {"A": "scope", "B": "scope"}},
             "scenarios": [{"id": "E", "command": "test \"$A-$B\" = scenario-scope", "env": {"A": "scenario"}},
                           {"id": "F", "command": "test \"$A\" = scope"}]}
            """#
        )
        #expect(
            report.scenarios.map(\.verdict) == [.pass, .pass],
            "\(report.scenarios.map { $0.attempts.first?.output.stderrTail ?? "" })"
        )
    }

    // MARK: a missing toolchain

    /// Cargo and swift merge their standard error into their output: the shell's "not found" is
    /// there, and must still say "not installed".
    @Test(arguments: [("go", "./..."), ("cargo", "."), ("swift", ".")])
    func aToolNotOnThePathIsAnErrorThatSaysSo(tool: String, target: String) async throws {
        let fixture = try RunFixture(files: ["go.mod": "module calc\n"])
        defer { fixture.remove() }
        let report = try await fixture.run(
            scope(#""runner": "\#(tool)", "target": "\#(target)""#, env: #"{"PATH": "/nonexistent-toolchain"}"#)
        )
        #expect(report.scenarios[0].verdict == .error)
        #expect(
            report.scenarios[0].message?.contains("\(tool) is not installed in the sandbox") == true,
            "\(report.scenarios[0].message ?? "")"
        )
    }

    // MARK: node

    static let nodeTests = """
        const test = require('node:test');
        const assert = require('node:assert');
        test('adds', () => { assert.strictEqual(1 + 1, 2); });
        test('breaks', () => { assert.strictEqual('gateway', 'gatewy', 'names differ'); });
        test('skipped', { skip: 'not today' }, () => {});
        """

    @Test(
        .enabled(
            if: HostToolchain.folderVisibleInJail("node") != nil,
            "node is not installed in /usr or /opt on this machine"
        )
    )
    func nodeReportsEachTest() async throws {
        let fixture = try RunFixture(files: ["test/calc.test.js": Self.nodeTests])
        defer { fixture.remove() }
        let report = try await fixture.run(scope(#""runner": "node", "target": "test/calc.test.js""#))
        let scenario = report.scenarios[0]
        #expect(scenario.verdict == .fail, "\(scenario.message ?? "")")
        let cases = byName(scenario.cases)
        #expect(cases["adds"]?.verdict == .pass)
        #expect(cases["breaks"]?.verdict == .fail)
        #expect(cases["breaks"]?.message?.contains("names differ") == true)
        #expect(cases["skipped"]?.verdict == .skipped)
    }

    // MARK: go

    static let goFiles = [
        "go.mod": "module calc\n\ngo 1.19\n",
        "calc.go": "package calc\n\nfunc Add(a, b int) int { return a + b }\n",
        "calc_test.go": """
        package calc

        import "testing"

        func TestAdds(t *testing.T) {
        	if Add(1, 1) != 2 {
        		t.Fatal("wrong")
        	}
        }

        func TestBreaks(t *testing.T) {
        	if got := Add(1, 1); got != 3 {
        		t.Errorf("sums differ: got %d", got)
        	}
        }

        func TestSkipped(t *testing.T) { t.Skip("not today") }

        func TestTable(t *testing.T) {
        	t.Run("small", func(t *testing.T) {})
        }
        """,
    ]

    @Test(
        .enabled(
            if: HostToolchain.folderVisibleInJail("go") != nil,
            "go is not installed in /usr or /opt (Debian: golang-go)"
        )
    )
    func goReportsTestsAndSubtests() async throws {
        let fixture = try RunFixture(files: Self.goFiles.mapKeys { "mod/\($0)" })
        defer { fixture.remove() }
        let report = try await fixture.run(scope(#""runner": "go", "target": "./...", "cwd": "mod""#))
        let scenario = report.scenarios[0]
        #expect(scenario.verdict == .fail, "\(scenario.message ?? "")")
        let cases = byName(scenario.cases)
        #expect(cases["TestAdds"]?.verdict == .pass)
        #expect(cases["TestAdds"]?.classname == "calc")
        #expect(cases["TestBreaks"]?.verdict == .fail)
        #expect(
            cases["TestBreaks"]?.message?.contains("sums differ: got 2") == true,
            "\(cases["TestBreaks"]?.message ?? "")"
        )
        #expect(cases["TestSkipped"]?.verdict == .skipped)
        #expect(cases["TestTable/small"]?.verdict == .pass)
    }

    @Test(
        .enabled(
            if: HostToolchain.folderVisibleInJail("go") != nil,
            "go is not installed in /usr or /opt (Debian: golang-go)"
        )
    )
    func goBuildErrorIsAnError() async throws {
        var files = Self.goFiles
        files["calc.go"] = "package calc\n\nfunc Add(a, b int) int { return a + }\n"
        let fixture = try RunFixture(files: files)
        defer { fixture.remove() }
        let report = try await fixture.run(scope(#""runner": "go", "target": "./...""#))
        #expect(report.scenarios[0].verdict == .error, "\(report.scenarios[0].message ?? "")")
    }

    // MARK: cargo

    static let cargoFiles = [
        "Cargo.toml": "[package]\nname = \"calc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
        "src/lib.rs": """
        pub fn add(a: i32, b: i32) -> i32 { a + b }

        #[cfg(test)]
        mod tests {
            use super::*;
            #[test] fn adds() { assert_eq!(add(1, 1), 2); }
            #[test] fn breaks() { assert_eq!(add(1, 1), 3, "sums differ"); }
            #[test] #[ignore = "not today"] fn skipped() {}
        }
        """,
        "tests/it.rs": "#[test] fn integration() { assert_eq!(calc::add(2, 2), 4); }\n",
    ]

    /// cargo is often installed with rustup in a home folder the jail does not mount: the test then
    /// uses the local sandbox with the host's PATH.
    @Test(.enabled(if: HostToolchain.find("cargo") != nil, "cargo is not installed on this machine"))
    func cargoReportsEachTestOfEachBinary() async throws {
        let fixture = try RunFixture(files: Self.cargoFiles.mapKeys { "crate/\($0)" })
        defer { fixture.remove() }
        let sandbox: any Sandbox = HostToolchain.folderVisibleInJail("cargo") != nil ? JailSandbox() : LocalSandbox()
        let report = try await fixture.run(scope(#""runner": "cargo", "target": "crate""#), sandbox: sandbox)
        let scenario = report.scenarios[0]
        #expect(scenario.verdict == .fail, "\(scenario.message ?? "")")
        let cases = byName(scenario.cases)
        #expect(cases["tests::adds"]?.verdict == .pass)
        #expect(cases["tests::adds"]?.classname == "src/lib.rs")
        #expect(cases["tests::breaks"]?.verdict == .fail)
        #expect(
            cases["tests::breaks"]?.message?.contains("sums differ") == true,
            "\(cases["tests::breaks"]?.message ?? "")"
        )
        #expect(cases["tests::skipped"]?.verdict == .skipped)
        #expect(cases["integration"]?.verdict == .pass)
        #expect(cases["integration"]?.classname == "tests/it.rs")
    }

    // MARK: swift

    static let swiftFiles = [
        "Package.swift": """
        // swift-tools-version:5.9
        import PackageDescription
        let package = Package(
            name: "Calc",
            targets: [.target(name: "Calc"), .testTarget(name: "CalcTests", dependencies: ["Calc"])])
        """,
        "Sources/Calc/Calc.swift": "public func add(_ a: Int, _ b: Int) -> Int { a + b }\n",
        "Tests/CalcTests/CalcTests.swift": """
        import XCTest
        @testable import Calc

        final class CalcTests: XCTestCase {
            func testAdds() { XCTAssertEqual(add(1, 1), 2) }
            func testBreaks() { XCTAssertEqual(add(1, 1), 3, "sums differ") }
        }
        """,
        "Tests/CalcTests/CalcSwiftTesting.swift": """
        import Testing
        @testable import Calc

        @Test func addsWithTesting() { #expect(add(2, 2) == 4) }
        """,
    ]

    /// The jail mounts /opt read-only but does not put the toolchain on PATH: the scenario's env does.
    @Test(.enabled(if: HostToolchain.folderVisibleInJail("swift") != nil, "swift is not installed in /usr or /opt"))
    func swiftReportsXCTestAndSwiftTestingCases() async throws {
        let folder = try #require(HostToolchain.folderVisibleInJail("swift"))
        let fixture = try RunFixture(files: Self.swiftFiles.mapKeys { "pkg/\($0)" })
        defer { fixture.remove() }
        let report = try await fixture.run(
            scope(#""runner": "swift", "target": "pkg""#, env: #"{"PATH": "\#(folder):/usr/bin:/bin"}"#, timeout: 1200)
        )
        let scenario = report.scenarios[0]
        #expect(
            scenario.verdict == .fail,
            "\(scenario.message ?? "") \(scenario.attempts.first?.output.stderrTail ?? "")"
        )
        let cases = byName(scenario.cases)
        #expect(cases["testAdds"]?.verdict == .pass)
        #expect(cases["testBreaks"]?.verdict == .fail)
        #expect(cases["testBreaks"]?.message?.contains("sums differ") == true, "\(cases["testBreaks"]?.message ?? "")")
        #expect(cases["addsWithTesting()"]?.verdict == .pass)
    }
}

extension Dictionary where Key == String {
    /// The same values under new keys.
    fileprivate func mapKeys(_ transform: (String) -> String) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}

/// The standard registry and the contract agree on the runners.
@Suite struct RunnerRegistryTests {
    @Test func everyRunnerTheContractNamesIsRegistered() {
        let names = Set(RunnerRegistry.standard.names)
        for name in RunnerCatalog.knownNames + ["command", "http"] {
            #expect(names.contains(name), "\(name) is not registered")
        }
    }

    @Test func eachScenarioKindFindsItsRunner() {
        let registry = RunnerRegistry.standard
        #expect(registry.runner(for: Scenario(id: "a", action: .command("true")))?.name == "command")
        #expect(
            registry.runner(for: Scenario(id: "b", action: .execution(Execution(runner: "go", target: "."))))?.name
                == "go"
        )
        #expect(
            registry.runner(for: Scenario(id: "c", action: .http([HTTPCheck(host: "127.0.0.1", port: 80)])))?.name
                == "http"
        )
        #expect(RunnerRegistry([]).runner(for: Scenario(id: "d", action: .command("true"))) == nil)
    }
}
