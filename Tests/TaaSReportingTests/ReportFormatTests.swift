import Foundation
import TaaSCore
import TaaSReporting
import Testing

@Suite struct ReportFormatTests {
    @Test func parsesACommaSeparatedList() throws {
        #expect(try ReportFormat.list("json,junit,html,md") == Set(ReportFormat.allCases))
        #expect(try ReportFormat.list(" HTML , md") == [.html, .md])
        #expect(try ReportFormat.list("json") == [.json])
    }

    @Test func rejectsAnUnknownOrEmptyName() {
        #expect(throws: UnknownReportFormat.self) { try ReportFormat.list("json,pdf") }
        do {
            _ = try ReportFormat.list("json,pdf")
        } catch {
            #expect(error.description == "unknown report format \"pdf\"; expected one of json, junit, html, md")
        }
        #expect(throws: UnknownReportFormat.self) { try ReportFormat.list("json,,md") }
    }

    @Test func eachFormatHasItsFileAndRendersTheOneModel() throws {
        let report = SampleReports.failing()
        #expect(ReportFormat.allCases.map(\.fileName) == ["report.json", "junit.xml", "report.html", "summary.md"])
        #expect(try ReportFormat.json.render(report) == report.jsonData())
        #expect(try ReportFormat.junit.render(report) == Data(JUnitReport.render(report).utf8))
        #expect(try ReportFormat.html.render(report) == Data(HTMLReport.render(report).utf8))
        #expect(try ReportFormat.md.render(report) == Data(MarkdownSummary.render(report).utf8))
    }

    @Test func theWriterAlwaysWritesTheJSONRecord() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taas-writer-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        try await ReportWriter.write(SampleReports.failing(), to: directory, formats: [.md])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == [
                "report.json", "summary.md",
            ]
        )
        try await ReportWriter.write(SampleReports.failing(), to: directory, formats: Set(ReportFormat.allCases))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
                == ["junit.xml", "report.html", "report.json", "summary.md"]
        )
        let decoded = try TaaSReport.read(from: Data(contentsOf: directory.appendingPathComponent("report.json")))
        #expect(decoded == SampleReports.failing())
    }

    @Test func theHostileReportRoundTripsByteForByte() throws {
        let data = try SampleReports.failing().jsonData()
        #expect(try TaaSReport.read(from: data).jsonData() == data)
    }
}
