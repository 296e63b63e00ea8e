import Foundation
import TaaSCore
import TaaSReporting
import Testing

/// The sample reports rendered in every format, compared with checked-in files, so that a change
/// to a renderer shows as a diff in review. `TAAS_UPDATE_GOLDEN=1 swift test --filter GoldenFileTests`
/// writes them again.
@Suite struct GoldenFileTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test(arguments: ReportFormat.allCases)
    func failingReport(format: ReportFormat) throws {
        try compare(SampleReports.failing(), format: format, name: "failing")
    }

    @Test(arguments: [ReportFormat.html, .md])
    func passingReport(format: ReportFormat) throws {
        try compare(SampleReports.passing(), format: format, name: "passing")
    }

    private func compare(_ report: TaaSReport, format: ReportFormat, name: String) throws {
        let url = Self.folder.appendingPathComponent("\(name).\(format.fileName)")
        let rendered = try format.render(report)
        if ProcessInfo.processInfo.environment["TAAS_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try rendered.write(to: url)
        }
        let expected = try Data(contentsOf: url)
        #expect(
            rendered == expected,
            "\(url.lastPathComponent) differs; run with TAAS_UPDATE_GOLDEN=1 to write it again"
        )
    }
}
