import Foundation
import TaaSShiftRight
import Testing

@Suite struct OTLPTraceReaderTests {
    static let trace = """
        {"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "shop"}}]},
          "scopeSpans": [{"scope": {"name": "flask"}, "spans": [
            {"traceId": "aa", "spanId": "01", "name": "GET /reports/{id}", "kind": 2,
             "startTimeUnixNano": "1796108601000000000", "endTimeUnixNano": "1796108601100000000",
             "attributes": [{"key": "http.request.method", "value": {"stringValue": "GET"}},
                            {"key": "url.path", "value": {"stringValue": "/reports/17"}},
                            {"key": "url.query", "value": {"stringValue": "full=1"}},
                            {"key": "http.response.status_code", "value": {"intValue": "500"}}],
             "events": [{"name": "exception", "attributes": [
                 {"key": "exception.type", "value": {"stringValue": "ZeroDivisionError"}},
                 {"key": "exception.message", "value": {"stringValue": "division by zero"}}]}],
             "status": {"code": 2, "message": "division by zero"}},
            {"traceId": "bb", "spanId": "02", "name": "GET", "kind": "SPAN_KIND_SERVER",
             "startTimeUnixNano": 1796108602000000000,
             "attributes": [{"key": "http.method", "value": {"stringValue": "GET"}},
                            {"key": "http.target", "value": {"stringValue": "/orders/1"}},
                            {"key": "http.status_code", "value": {"intValue": 200}}]},
            {"traceId": "cc", "spanId": "03", "name": "POST", "kind": "SPAN_KIND_SERVER",
             "attributes": [{"key": "http.request.method", "value": {"stringValue": "POST"}},
                            {"key": "url.full", "value": {"stringValue": "http://shop:8080/orders?dry=1"}}],
             "status": {"code": "STATUS_CODE_ERROR", "message": "deadline exceeded"}},
            {"traceId": "cc", "spanId": "04", "name": "GET upstream", "kind": 3,
             "attributes": [{"key": "http.request.method", "value": {"stringValue": "GET"}},
                            {"key": "url.full", "value": {"stringValue": "http://stock/items/3"}},
                            {"key": "http.response.status_code", "value": {"intValue": "503"}}]},
            {"traceId": "dd", "spanId": "05", "name": "db query", "kind": 1}
          ]}]}]}
        """

    @Test func serverSpansReadIntoExchangesWithTheirExceptions() throws {
        #expect(try RecordingFormat.detect(Data(Self.trace.utf8), file: "t") == .otlp)
        let exchanges = try OTLPTraceReader().exchanges(in: Data(Self.trace.utf8), file: "trace.json")
        #expect(exchanges.count == 3, "\(exchanges)")
        #expect(exchanges[0].url == "/reports/17?full=1")
        #expect(exchanges[0].response?.status == 500)
        #expect(exchanges[0].error == "ZeroDivisionError: division by zero")
        #expect(exchanges[0].startedAt == Date(timeIntervalSince1970: 1_796_108_601))
        #expect(exchanges[0].source.display == "trace.json span 1")
        #expect(exchanges[1].url == "/orders/1")
        #expect(exchanges[1].response?.status == 200)
        #expect(exchanges[2].url == "/orders?dry=1")
        #expect(exchanges[2].response == nil)
        #expect(exchanges[2].error == "deadline exceeded")
        let incidents = IncidentDetector.incidents(in: exchanges)
        #expect(incidents.map(\.route) == ["/reports/{id}", "/orders"])
    }

    @Test func aMalformedTraceNamesTheJSONPath() {
        let error = #expect(throws: RecordingError.self) {
            try OTLPTraceReader().exchanges(
                in: Data(#"{"resourceSpans": [{"scopeSpans": [{"spans": [42]}]}]}"#.utf8),
                file: "trace.json"
            )
        }
        #expect(error?.message == "$.resourceSpans[0].scopeSpans[0].spans[0]: expected an object")
    }

    @Test func aFileOfNoKnownFormatAsksForFormat() {
        let error = #expect(throws: RecordingError.self) {
            try RecordingFormat.detect(Data("hello world\nsecond line\n".utf8), file: "notes.txt")
        }
        #expect(error?.code == .unknownFormat)
        #expect(error?.message.contains("pass --format") == true)
    }
}
