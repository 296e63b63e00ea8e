import Foundation
import TaaSCore
import Testing

/// `TaaSReport.read`: a report.json back into the model, or an error that names the JSON path.
@Suite struct ReportReadingTests {
    private func text() throws -> String {
        try #require(String(data: try ReportCodingTests.sampleReport().jsonData(), encoding: .utf8))
    }

    private func problem(_ text: String) -> InvalidReportError? {
        do {
            _ = try TaaSReport.read(from: Data(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func encodeDecodeEncodeIsByteIdentical() throws {
        let data = try ReportCodingTests.sampleReport().jsonData()
        let read = try TaaSReport.read(from: data)
        #expect(read == ReportCodingTests.sampleReport())
        #expect(try read.jsonData() == data)
    }

    @Test(arguments: [0.0, 0.0004, 0.0005, 0.9195, 0.92, 0.9995, 0.999_9, 57.919_6, 1234.000_49])
    func timesWithSubMillisecondPartsRoundTripByteForByte(offset: Double) throws {
        let start = Date(timeIntervalSince1970: 1_764_117_117) + offset
        let report = TaaSReport(
            runID: "r",
            scopeID: "s",
            scopeFingerprint: "f",
            verdict: .pass,
            startedAt: start,
            finishedAt: start + offset * 3,
            taasVersion: "0",
            sandbox: SandboxDescription(kind: "jail")
        )
        let data = try report.jsonData()
        #expect(try TaaSReport.read(from: data).jsonData() == data)
        #expect(try TaaSReport.read(from: TaaSReport.read(from: data).jsonData()).jsonData() == data)
    }

    @Test func timestampsRoundToTheNearestMillisecond() {
        let base = Date(timeIntervalSince1970: 1_764_117_117)
        #expect(TaaSReport.timestamp(base + 0.9196) == "2025-11-26T00:31:57.920Z")
        #expect(TaaSReport.timestamp(base + 0.9994) == "2025-11-26T00:31:57.999Z")
        #expect(TaaSReport.timestamp(base + 0.9996) == "2025-11-26T00:31:58.000Z")
        #expect(TaaSReport.timestamp(Date(timeIntervalSince1970: -0.25)) == "1969-12-31T23:59:59.750Z")
    }

    @Test func notJSONNamesTheLineAndColumn() {
        let error = problem("{\"report_version\": \"1.0\",\n  oops}")
        #expect(error?.path == .root)
        #expect(error?.location == SourceLocation(line: 2, column: 3))
        #expect(error?.description.hasPrefix("not a TaaS report: $: not valid JSON: ") == true)
    }

    @Test func aDocumentThatIsNoReportSaysSo() {
        #expect(problem("[1, 2]")?.description == "not a TaaS report: $: expected an object, found an array")
        #expect(
            problem(#"{"scope_id": "x", "scenarios": []}"#)?.message.contains("there is no \"report_version\"") == true
        )
        #expect(
            problem(#"{"report_version": "2.0"}"#)?.description
                == "not a TaaS report: report_version: this taas reads report version 1.x, found \"2.0\""
        )
    }

    @Test func anUnknownVerdictNamesItsPath() throws {
        let bad = try text().replacingOccurrences(of: "\"verdict\" : \"skipped\"", with: "\"verdict\" : \"maybe\"")
        let error = try #require(problem(bad))
        #expect(error.path.description == "scenarios[1].cases[2].verdict")  // the first of them
        #expect(error.message == "expected one of pass, fail, error, skipped, found \"maybe\"")
        #expect(error.location != nil)
    }

    @Test func aMissingFieldNamesItsPath() throws {
        let bad = try text().replacingOccurrences(of: "\"number\" : 2,", with: "")
        let error = try #require(problem(bad))
        #expect(
            error.description.hasPrefix(
                "not a TaaS report: scenarios[0].attempts[1].number: required field \"number\" is missing"
            )
        )
    }

    @Test func aValueOfTheWrongKindNamesItsPath() throws {
        let bad = try text().replacingOccurrences(of: "\"duration_ms\" : 12500", with: "\"duration_ms\" : \"long\"")
        let error = try #require(problem(bad))
        #expect(error.path.description == "duration_ms")
        #expect(error.message == "expected a whole number, found \"long\"")
    }
}
