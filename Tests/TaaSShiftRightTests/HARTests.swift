import Foundation
import TaaSShiftRight
import Testing

@Suite struct HARTests {
    @Test func aHARWithBase64BodiesAndAnUnansweredRequestReadsIntoExchanges() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("har-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("traffic.har").path
        let body = Data(#"{"ok":true}"#.utf8).base64EncodedString()
        let har = """
            {"log": {"version": "1.2", "creator": {"name": "mitmproxy", "version": "11"}, "entries": [
              {"startedDateTime": "2026-12-01T07:00:00.250+00:00", "time": 3,
               "request": {"method": "post", "url": "http://shop.example/orders?x=1",
                           "headers": [{"name": "Authorization", "value": "Bearer s3cret"}],
                           "postData": {"mimeType": "application/json", "text": "{\\"n\\":1}"}},
               "response": {"status": 201, "headers": [{"name": "Content-Type", "value": "application/json"}],
                            "content": {"mimeType": "application/json", "text": "\(body)", "encoding": "base64"}}},
              {"startedDateTime": "2026-12-01T07:00:01Z",
               "request": {"method": "GET", "url": "http://shop.example/slow", "headers": []},
               "response": {"status": 0, "headers": []}}
            ]}}
            """
        try har.write(toFile: file, atomically: true, encoding: .utf8)
        let exchanges = try HAR.load(from: file).exchanges(file: file)
        #expect(exchanges.count == 2)
        #expect(exchanges[0].method == "POST")
        #expect(exchanges[0].requestBody == Data(#"{"n":1}"#.utf8))
        #expect(exchanges[0].response?.status == 201)
        #expect(exchanges[0].response?.header("content-type") == "application/json")
        #expect(exchanges[0].response?.body == Data(#"{"ok":true}"#.utf8))
        #expect(exchanges[0].startedAt != nil)
        #expect(exchanges[1].response == nil)
        #expect(exchanges[1].source.display == "traffic.har entry 2")
    }

    @Test func aFileThatIsNotHARNamesTheMissingMember() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).har").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try #"{"log": {"entries": [{"startedDateTime": "x", "response": {"status": 200, "headers": []}}]}}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: RecordingError.self) { try HAR.load(from: file) }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains("$.log.entries[0].request: missing") == true)
    }
}
