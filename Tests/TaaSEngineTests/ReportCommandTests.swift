import Foundation
import TaaSCore
import TaaSTesting
import Testing

/// `taas report`, run as a user would.
@Suite(.serialized) struct ReportCommandTests {
    /// A report.json written from a model built here (no sandbox needed).
    static func reportFile(in directory: URL) throws -> URL {
        let failing = ScenarioResult(
            id: "UNIT-001",
            type: "unit",
            verdict: .fail,
            durationMS: 20,
            attempts: [
                AttemptResult(
                    number: 1,
                    verdict: .fail,
                    exitCode: 1,
                    durationMS: 20,
                    timedOut: false,
                    output: RecordedOutput(stdoutTail: "<b>bold</b>\n")
                )
            ],
            cases: [
                CaseResult(
                    name: "test_x",
                    classname: "tests.t",
                    verdict: .fail,
                    durationMS: 1,
                    message: "E   assert 1 == 2"
                )
            ]
        )
        let report = ReportBuilder(scopeID: "cli-report").scenario(failing).build()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("report.json")
        try report.jsonData().write(to: url)
        return url
    }

    @Test(arguments: ["html", "md", "junit", "json"])
    func rendersEachFormat(format: String) throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let file = try Self.reportFile(in: fixture.output)
        let result = try CommandLineTests.taas(["report", file.path, "--format", format])
        #expect(result.status == 0, "\(result.stderr)")
        switch format {
        case "html":
            #expect(result.stdout.contains("<code>tests.t::test_x</code>"))
            #expect(result.stdout.contains("&lt;b&gt;bold&lt;/b&gt;"))
        case "md": #expect(result.stdout.contains("- **FAIL** `UNIT-001` › `tests.t::test_x`"))
        case "junit": #expect(result.stdout.contains("<testcase name=\"test_x\" classname=\"tests.t\""))
        default: #expect(result.stdout == String(decoding: try Data(contentsOf: file), as: UTF8.self))
        }
        let output = fixture.root.appendingPathComponent("rendered.\(format)")
        let written = try CommandLineTests.taas(["report", file.path, "--format", format, "--output", output.path])
        #expect(written.status == 0 && written.stdout.isEmpty)
        #expect(try String(contentsOf: output, encoding: .utf8) == result.stdout)
    }

    @Test func aFileThatIsNotAReportExitsThreeNamingThePath() throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let file = try Self.reportFile(in: fixture.output)
        let text = try String(contentsOf: file, encoding: .utf8)
        let broken = fixture.root.appendingPathComponent("broken.json")
        try text.replacingOccurrences(of: "\"exit_code\" : 1", with: "\"exit_code\" : \"one\"").write(
            to: broken,
            atomically: true,
            encoding: .utf8
        )
        let result = try CommandLineTests.taas(["report", broken.path, "--format", "html"])
        #expect(result.status == 3)
        #expect(
            result.stderr.contains(
                "not a TaaS report: scenarios[0].attempts[0].exit_code: expected a whole number, found \"one\""
            ),
            "\(result.stderr)"
        )
        #expect(result.stdout.isEmpty)

        let scope = fixture.root.appendingPathComponent("scope.json")
        try #"{"scope_id": "x", "scenarios": [{"id": "A", "command": "true"}]}"#.write(
            to: scope,
            atomically: true,
            encoding: .utf8
        )
        let notAReport = try CommandLineTests.taas(["report", scope.path, "--format", "md"])
        #expect(notAReport.status == 3)
        #expect(notAReport.stderr.contains("there is no \"report_version\""))

        let missing = try CommandLineTests.taas([
            "report", fixture.root.appendingPathComponent("nope.json").path, "--format", "md",
        ])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("cannot read"))
    }

    @Test func runWritesOnlyTheChosenFormatsAndAlwaysTheRecord() throws {
        let fixture = try RunFixture(files: [
            "scope.json": #"{"scope_id": "fmt", "scenarios": [{"id": "A", "command": "exit 1"}]}"#
        ])
        defer { fixture.remove() }
        let result = try CommandLineTests.taas([
            "run", fixture.workspace.appendingPathComponent("scope.json").path, "--out", fixture.output.path,
            "--report-format", "md",
        ])
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.output.path).sorted()
        #expect(files == ["logs", "manifest.json", "report.json", "summary.md", "trace.json"])
        #expect(result.stdout.contains("What failed:\n  FAIL A\n       exit code 1\n"))
        #expect(result.stdout.contains("— report: \(fixture.output.appendingPathComponent("report.json").path)"))
        let bad = try CommandLineTests.taas([
            "run", fixture.workspace.appendingPathComponent("scope.json").path, "--report-format", "pdf",
        ])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("unknown report format \"pdf\""))
    }

    @Test func verboseRunPrintsEachStepsOutputAndAPipeGetsNoEscapes() throws {
        let fixture = try RunFixture(files: [
            "scope.json": """
            {"scope_id": "loud", "lifecycle": {"setup": ["echo seeding the db"]},
             "scenarios": [{"id": "A", "command": "echo hello from A; printf '\\\\033[31mred\\\\033[0m\\\\n' >&2; exit 1"}]}
            """
        ])
        defer { fixture.remove() }
        let scope = fixture.workspace.appendingPathComponent("scope.json").path
        let result = try CommandLineTests.taas(["run", scope, "--out", fixture.output.path, "--verbose"])
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("  PASS setup 1: echo seeding the db ("))
        #expect(result.stdout.contains("      │ seeding the db\n"))
        #expect(result.stdout.contains("  → A attempt 1\n  FAIL A attempt 1: exit code 1 ("))
        #expect(result.stdout.contains("      │ hello from A\n      ┃ red\n"))
        // Standard output is a pipe here: plain lines, no colours, no status line, no escapes from the output.
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(!result.stdout.contains("\r"))

        let quiet = try CommandLineTests.taas(["run", scope, "--out", fixture.output.path, "--quiet"])
        #expect(quiet.status == 1)
        #expect(quiet.stdout.split(separator: "\n").count == 1)
        #expect(quiet.stdout.hasPrefix("FAIL loud: 0 passed, 1 failed in "))
        let both = try CommandLineTests.taas(["run", scope, "--quiet", "--verbose"])
        #expect(both.status == 64)
    }
}
