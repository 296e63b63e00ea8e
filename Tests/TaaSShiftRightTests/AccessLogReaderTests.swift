import Foundation
import TaaSShiftRight
import Testing

@Suite struct AccessLogReaderTests {
    static let combined = """
        127.0.0.1 - - [01/Dec/2026:07:03:21 +0000] "GET /reports/17 HTTP/1.1" 500 152 "-" "curl/7.88.1"
        127.0.0.1 - ada [01/Dec/2026:07:03:22 +0000] "GET /search?q=tea&api_key=SECRET123 HTTP/1.1" 200 179 "https://shop.example/" "Mozilla/5.0 (X11; \\"quoted\\")"

        10.0.0.2 - - [01/Dec/2026:07:04:00 +0000] "POST /orders HTTP/1.1" 000 0 "-" "-"
        10.0.0.3 - - [01/Dec/2026:07:04:01 +0000] "-" 400 0 "-" "-"
        10.0.0.4 - - [01/Dec/2026:07:04:02 +0000] "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03" 400 157 "-" "-"
        """

    @Test func combinedLinesReadIntoExchanges() throws {
        let exchanges = try AccessLogReader().exchanges(in: Self.combined, file: "/logs/access.log")
        #expect(exchanges.count == 3, "the lines without a request are skipped")
        #expect(exchanges[0].method == "GET")
        #expect(exchanges[0].url == "/reports/17")
        #expect(exchanges[0].response?.status == 500)
        #expect(exchanges[0].startedAt == Date(timeIntervalSince1970: 1_796_108_601))
        #expect(exchanges[1].url == "/search?q=tea&api_key=SECRET123")
        #expect(exchanges[2].response == nil, "status 000: no answer")
        #expect(exchanges[2].source.display == "access.log line 4")
    }

    @Test func theFormatIsToldFromTheContent() throws {
        #expect(try RecordingFormat.detect(Data(Self.combined.utf8), file: "a") == .accessLog)
    }

    @Test func aMalformedLineNamesTheFileAndTheLine() {
        let text = Self.combined + "\nthis is not an access log line\n"
        let error = #expect(throws: RecordingError.self) {
            try AccessLogReader().exchanges(in: text, file: "access.log")
        }
        #expect(error?.code == .malformed)
        #expect(
            error?.description.hasPrefix("access.log: line 7: expected an access log line in the combined format")
                == true,
            "\(error?.description ?? "")"
        )
    }

    @Test func aLogFormatNamesTheFieldsAsNginxDoes() throws {
        let format = try AccessLogFormat.parse(#"$time_iso8601 $request_method $request_uri $status $request_time"#)
        let exchanges = try AccessLogReader(format: format).exchanges(
            in: "2026-12-01T07:03:21+00:00 GET /reports/17?x=1 502 0.031\n",
            file: "custom.log"
        )
        #expect(exchanges.first?.method == "GET")
        #expect(exchanges.first?.url == "/reports/17?x=1")
        #expect(exchanges.first?.response?.status == 502)
        #expect(exchanges.first?.startedAt == Date(timeIntervalSince1970: 1_796_108_601))
        #expect(throws: RecordingError.self) { try AccessLogFormat.parse("$remote_addr $body_bytes_sent") }
    }
}
