import Foundation
import TaaSShiftRight
import Testing

@Suite struct JSONLinesReaderTests {
    static let log = """
        {"time": "2026-12-01T07:03:21.000Z", "level": "info", "msg": "request started", "request_id": "r-1", "method": "GET", "path": "/reports/17"}
        {"time": "2026-12-01T07:03:21.100Z", "level": "error", "request_id": "r-1", "exception": {"type": "ZeroDivisionError", "message": "division by zero"}}
        {"time": "2026-12-01T07:03:21.120Z", "level": "info", "msg": "request finished", "request_id": "r-1", "status": 500}
        {"timestamp": 1796108602, "http": {"method": "get", "target": "/orders/1", "status_code": 200}, "trace_id": "t-2"}
        {"ts": "2026-12-01 07:03:23,000", "level": "ERROR", "msg": "order store unreachable", "trace_id": "t-3"}
        {"ts": "2026-12-01 07:03:23,500", "request.method": "POST", "request.url": "/orders", "trace_id": "t-3"}
        {"level": "info", "msg": "no request here"}
        {"method": "GET", "path": "/health"}
        """

    @Test func recordsOfOneRequestAreJoinedByTheirRequestOrTraceId() throws {
        let exchanges = try JSONLinesReader().exchanges(in: Self.log, file: "app.jsonl")
        #expect(exchanges.count == 3, "\(exchanges)")
        #expect(exchanges[0].method == "GET")
        #expect(exchanges[0].url == "/reports/17")
        #expect(exchanges[0].response?.status == 500)
        #expect(exchanges[0].error == "ZeroDivisionError: division by zero")
        #expect(exchanges[0].source.display == "app.jsonl line 1")
        #expect(exchanges[0].startedAt == Date(timeIntervalSince1970: 1_796_108_601))
        #expect(exchanges[1].url == "/orders/1")
        #expect(exchanges[1].response?.status == 200)
        #expect(exchanges[1].startedAt == Date(timeIntervalSince1970: 1_796_108_602))
        #expect(exchanges[2].method == "POST")
        #expect(exchanges[2].error == "order store unreachable", "an error record before its request")
        #expect(exchanges[2].response == nil)
        let incidents = IncidentDetector.incidents(in: exchanges)
        #expect(incidents.map(\.signature) == ["5xx ZeroDivisionError", "order store unreachable"])
    }

    @Test func aMappingNamesOtherKeys() throws {
        var mapping = JSONLinesFieldMapping()
        try mapping.set("method", to: "req.verb")
        try mapping.set("path", to: "req.uri")
        try mapping.set("status", to: "res.code")
        let exchanges = try JSONLinesReader(mapping: mapping).exchanges(
            in: #"{"req": {"verb": "DELETE", "uri": "/orders/9"}, "res": {"code": "503"}}"#,
            file: "x.jsonl"
        )
        #expect(exchanges.first?.method == "DELETE")
        #expect(exchanges.first?.response?.status == 503)
        #expect(throws: RecordingError.self) { try mapping.set("colour", to: "x") }
    }

    @Test func aLineThatIsNotAJSONObjectNamesItsLine() throws {
        let error = #expect(throws: RecordingError.self) {
            try JSONLinesReader().exchanges(in: "{\"method\": \"GET\", \"path\": \"/\"}\n{oops\n", file: "app.jsonl")
        }
        #expect(
            error?.description.hasPrefix("app.jsonl: line 2: expected a JSON object") == true,
            "\(error?.description ?? "")"
        )
        #expect(try RecordingFormat.detect(Data(Self.log.utf8), file: "a") == .jsonLines)
    }
}
