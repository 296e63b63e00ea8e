import Foundation
import TaaSCore
import TaaSTesting
import Testing

/// The report's `telemetry` block.
@Suite struct ReportTelemetryTests {
    @Test func theReportRecordsTheTraceAndReadsItBack() throws {
        var report = ReportBuilder().scenario("S", .pass).build()
        report.telemetry = TelemetryRecord(
            traceID: "4bf92f3577b34da6a3ce929d0e0e4736",
            exported: false,
            error: "the trace was not exported: the collector answered 500"
        )
        let data = try report.jsonData()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""telemetry" : {"#))
        #expect(text.contains(#""trace_id" : "4bf92f3577b34da6a3ce929d0e0e4736""#))
        #expect(text.contains(#""exported" : false"#))
        #expect(try TaaSReport.read(from: data) == report)
    }

    @Test func aReportWithoutTelemetryHasNoBlock() throws {
        let report = ReportBuilder().scenario("S", .pass).build()
        #expect(!String(decoding: try report.jsonData(), as: UTF8.self).contains("telemetry"))
    }
}
