import Foundation
import TaaSCore
import TaaSReporting
import Testing

/// The writer does not hold the other files back while the record is being completed (the
/// telemetry export), and report.json gets the completed record with the clock's timing.
@Suite struct ReportWriterTests {
    @Test func theOtherFilesAreWrittenWhileTheRecordIsCompleted() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taas-writer-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = PhaseClock()
        let others = ["junit.xml", "report.html", "summary.md"]
        let (written, failure) = await ReportWriter.write(
            SampleReports.failing(),
            to: directory,
            formats: Set(ReportFormat.allCases),
            clock: clock
        ) { report in
            // Completing the record waits until the other files are on disk: a writer that wrote
            // them only after the record would never get there.
            var report = report
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                let present = others.allSatisfy {
                    FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
                }
                if present {
                    report.telemetry = TelemetryRecord(traceID: String(repeating: "a", count: 32), exported: true)
                    break
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
            return report
        }
        #expect(failure == nil)
        #expect(written.telemetry?.exported == true, "the other files were not written before the record was complete")
        let decoded = try TaaSReport.read(from: Data(contentsOf: directory.appendingPathComponent("report.json")))
        #expect(decoded == written)
        let rendering = try #require(decoded.timing?.phase("report_rendering"))
        #expect(rendering.durationMS >= 0)
        #expect(decoded.timing?.origin == "run")
    }
}
