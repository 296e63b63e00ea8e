import Foundation
import TaaSCore
import TaaSEngine
import TaaSSandboxes
import Testing

@testable import TaaSRunners

/// The test ledger of go and cargo scenarios, listed by the real tools in the real sandbox, and a
/// run that drops a law case caught by it.
@Suite(.serialized) struct LedgerListingTests {
    /// Lists the ledger of `json` in `fixture`, then runs it with that ledger as a verified lock's.
    private func lockAndRun(
        _ fixture: RunFixture,
        _ json: String,
        sandbox: any Sandbox = JailSandbox(),
        change: (() throws -> Void)? = nil
    ) async throws -> (ScenarioLedger?, TaaSReport) {
        let scope = try RunFixture.scope(json)
        var options = RunOptions(
            workspace: fixture.workspace,
            outputDirectory: fixture.output,
            sandbox: sandbox,
            cacheDirectory: TestEnvironment.cacheDirectory,
            allowUnsafeLocal: true
        )
        options.offline = true
        let ledger = try await LedgerCollector(options: options).collect(scope)
        try change?()
        options.lockCheck = LockCheck(status: .verified, ledger: ledger)
        return (ledger.scenarios["S"], await Harness(options: options).execute(scope))
    }

    private static func scope(_ execution: String) -> String {
        #"{"scope_id": "ledger", "scenarios": [{"id": "S", "execution": {\#(execution)}, "timeout": 600}]}"#
    }

    // MARK: go

    @Test func goSelectionFlagsBecomeTheListingPattern() {
        let selection = GoSelection(arguments: ["-v", "-run", "TestA|TestB/sub", "-skip=Slow", "-count=1"])
        #expect(selection.listPattern == "TestA|TestB")
        #expect(selection.skipPattern == "Slow")
        #expect(selection.otherArguments == ["-v", "-count=1"])
        #expect(GoSelection(arguments: ["--run=X", "-skip", "TestY/only"]).listPattern == "X")
        #expect(GoSelection(arguments: ["-skip", "TestY/only"]).skipPattern == nil)
        #expect(GoSelection.isTestName("TestAdds") && GoSelection.isTestName("FuzzParse"))
        #expect(!GoSelection.isTestName("ok  \tcalc\t0.01s") && !GoSelection.isTestName("helper"))
    }

    @Test(
        .enabled(
            if: HostToolchain.folderVisibleInJail("go") != nil,
            "go is not installed in /usr or /opt (Debian: golang-go)"
        )
    )
    func goTestsAreListedAndATestMainThatDropsOneIsCaught() async throws {
        var files = ToolRunnerTests.goFiles
        files["calc_test.go"] = files["calc_test.go"]!.replacingOccurrences(
            of: "func TestSkipped(t *testing.T) { t.Skip(\"not today\") }",
            with: ""
        )
        files["calc.go"] = "package calc\n\nfunc Add(a, b int) int { return a + b + 1 }\n"
        let fixture = try RunFixture(files: files)
        defer { fixture.remove() }
        let json = Self.scope(#""runner": "go", "target": "./...", "args": ["-run", "TestAdds|TestTable"]"#)

        let (ledger, honest) = try await lockAndRun(fixture, json)
        #expect(ledger?.cases == [LedgerCase(id: "calc::TestAdds"), LedgerCase(id: "calc::TestTable")])
        // Add is broken: TestAdds fails, and the subtest TestTable/small belongs to its listed parent.
        #expect(honest.verdict == .fail, "\(honest.scenarios.map { $0.message ?? "" })")
        #expect(honest.scenarios[0].message?.contains("unlisted") != true)

        // The judged party adds a test file whose TestMain runs only TestTable: go reports a pass.
        let (_, bypassed) = try await lockAndRun(fixture, json) {
            try """
            package calc

            import (
            	"flag"
            	"os"
            	"testing"
            )

            func TestMain(m *testing.M) {
            	flag.Parse()
            	flag.Set("test.run", "^TestTable$")
            	os.Exit(m.Run())
            }
            """.write(to: fixture.workspace.appending(path: "zz_main_test.go"), atomically: true, encoding: .utf8)
        }
        #expect(bypassed.verdict == .error)
        #expect(
            bypassed.scenarios[0].message?.contains("law case not executed: calc::TestAdds") == true,
            "\(bypassed.scenarios[0].message ?? "")"
        )
    }

    // MARK: cargo

    @Test(.enabled(if: HostToolchain.find("cargo") != nil, "cargo is not installed on this machine"))
    func cargoTestsAreListedWithIgnoredOnesAndATargetSwitchedOffIsCaught() async throws {
        var files = ToolRunnerTests.cargoFiles
        files["src/lib.rs"] = files["src/lib.rs"]!.replacingOccurrences(
            of: "#[test] fn breaks() { assert_eq!(add(1, 1), 3, \"sums differ\"); }",
            with: ""
        )
        let fixture = try RunFixture(
            files: Dictionary(uniqueKeysWithValues: files.map { ("crate/\($0.key)", $0.value) })
        )
        defer { fixture.remove() }
        let sandbox: any Sandbox = HostToolchain.folderVisibleInJail("cargo") != nil ? JailSandbox() : LocalSandbox()
        let json = Self.scope(#""runner": "cargo", "target": "crate""#)

        let (ledger, honest) = try await lockAndRun(fixture, json, sandbox: sandbox)
        #expect(
            ledger?.cases == [
                LedgerCase(id: "src/lib.rs::tests::adds"),
                LedgerCase(id: "src/lib.rs::tests::skipped", mayNotRun: ["ignore"]),
                LedgerCase(id: "tests/it.rs::integration"),
            ],
            "\(ledger?.unlisted ?? "")"
        )
        #expect(honest.verdict == .pass, "\(honest.scenarios.map { $0.message ?? "" })")

        // The judged party switches the integration tests off in Cargo.toml: cargo reports a pass.
        let (_, bypassed) = try await lockAndRun(fixture, json, sandbox: sandbox) {
            let manifest = fixture.workspace.appending(path: "crate/Cargo.toml")
            let text = try String(contentsOf: manifest, encoding: .utf8)
            try (text + "\n[[test]]\nname = \"it\"\npath = \"tests/it.rs\"\ntest = false\n").write(
                to: manifest,
                atomically: true,
                encoding: .utf8
            )
        }
        #expect(bypassed.verdict == .error)
        #expect(
            bypassed.scenarios[0].message?.contains("law case not executed: tests/it.rs::integration") == true,
            "\(bypassed.scenarios[0].message ?? "")"
        )
    }
}
