import Foundation
import TaaSCore
import TaaSEngine
import TaaSReporting
import Testing

/// A real failing run writes all four report files, and each names the failing case.
@Suite(.serialized) struct ReportFilesTests {
    static let scope = """
        {"scope_id": "reports", "lifecycle": {"setup": ["echo seeding"], "teardown": ["echo cleaning"]},
         "scenarios": [
           {"id": "UNIT-001", "execution": {"runner": "pytest", "target": "tests/test_mix.py"}},
           {"id": "CMD-001", "command": "echo '<script>alert(1)</script>'; echo 'mismatch' >&2; exit 3"}]}
        """

    @Test func aFailingRunWritesEveryFormatNamingTheFailedCase() async throws {
        let fixture = try RunFixture(files: ["tests/test_mix.py": PytestRunnerTests.tests])
        defer { fixture.remove() }
        let report = try await fixture.run(Self.scope)
        #expect(report.verdict == .fail)
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.output.path).sorted()
        #expect(files == ["junit.xml", "logs", "manifest.json", "report.html", "report.json", "summary.md"])
        func read(_ name: String) throws -> String {
            try String(contentsOf: fixture.output.appendingPathComponent(name), encoding: .utf8)
        }

        let json = try TaaSReport.read(from: Data(read("report.json").utf8))
        #expect(try json.jsonData() == report.jsonData())  // the record keeps milliseconds only
        #expect(try read("junit.xml").contains("<testcase name=\"test_breaks\" classname=\"tests.test_mix\""))

        let html = try read("report.html")
        #expect(html.contains("<header class=\"banner fail\">"))
        #expect(html.contains("<code>tests.test_mix::test_breaks</code>"))
        #expect(html.contains("names differ"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("<a href=\"logs/UNIT-001.attempt-1.stdout.log\">"))
        #expect(
            FileManager.default.fileExists(
                atPath: fixture.output.appendingPathComponent("logs/UNIT-001.attempt-1.stdout.log").path
            )
        )

        let md = try read("summary.md")
        #expect(md.hasPrefix("## ❌ FAIL · `reports`"))
        #expect(md.contains("- **FAIL** `UNIT-001` › `tests.test_mix::test_breaks`"))
        #expect(md.contains("names differ"))
        #expect(md.contains("- **FAIL** `CMD-001`\n  ```text\n  exit code 3\n  │ mismatch\n"))

        // Rendering the record again gives the same files.
        for format in [ReportFormat.junit, .html, .md] {
            #expect(try format.render(json) == Data(read(format.fileName).utf8), "\(format)")
        }
    }
}
