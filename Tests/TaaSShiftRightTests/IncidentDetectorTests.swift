import Foundation
import TaaSCore
import TaaSShiftRight
import Testing

@Suite struct IncidentDetectorTests {
    static func exchange(
        _ method: String,
        _ url: String,
        _ status: Int?,
        at seconds: Double? = nil,
        line: Int,
        body: String? = nil,
        error: String? = nil
    ) -> RecordedExchange {
        RecordedExchange(
            method: method,
            url: url,
            response: status.map { code in
                RecordedResponse(
                    status: code,
                    headers: body == nil
                        ? [] : [HTTPField(name: "Content-Type", value: "application/json; charset=utf-8")],
                    body: body.map { Data($0.utf8) }
                )
            },
            startedAt: seconds.map { Date(timeIntervalSince1970: $0) },
            error: error,
            source: RecordingSource(file: "/logs/access.log", unit: "line", position: line)
        )
    }

    @Test func incidentsAreGroupedByMethodRouteAndSignatureWithCountsAndFirstAndLastSeen() {
        let exchanges = [
            Self.exchange("GET", "/reports/42", 500, at: 300, line: 1),
            Self.exchange(
                "GET",
                "/reports/17",
                200,
                at: 100,
                line: 2,
                body: #"{"id": "17", "rows": [1], "request_id": "a"}"#
            ),
            Self.exchange("GET", "/reports/17?full=1", 503, at: 200, line: 3),
            Self.exchange("GET", "/reports/9", 200, at: 150, line: 4, body: #"{"id": "9", "rows": [], "took": 3}"#),
            Self.exchange("POST", "/reports/17", 500, at: 250, line: 5),
            Self.exchange("GET", "/reports/5", nil, at: 260, line: 6),
            Self.exchange("GET", "/orders/1", 404, at: 270, line: 7),
            Self.exchange("GET", "/reports/8", 500, line: 8),
        ]
        let incidents = IncidentDetector.incidents(in: exchanges)
        #expect(
            incidents.map { "\($0.method) \($0.route) \($0.signature) ×\($0.count)" } == [
                "GET /reports/{id} 5xx ×3", "POST /reports/{id} 5xx ×1", "GET /reports/{id} no answer ×1",
            ]
        )
        let first = incidents[0]
        #expect(first.firstSeen == Date(timeIntervalSince1970: 200))
        #expect(first.lastSeen == Date(timeIntervalSince1970: 300))
        #expect(first.sources.map(\.position) == [1, 3, 8])
        #expect(first.example.url == "/reports/42")
        #expect(
            first.baseline
                == RouteBaseline(count: 2, status: 200, contentType: "application/json", jsonKeys: ["id", "rows"])
        )
        #expect(incidents[1].baseline == nil, "no good POST was recorded")
        #expect(Set(incidents.map(\.id)).count == 3)
    }

    @Test func theScenarioExpectsNo5xxAndWhatTheGoodAnswersHadInCommon() throws {
        let exchanges = [
            Self.exchange("GET", "/reports/42", 500, at: 1_796_108_601, line: 1),
            Self.exchange(
                "GET",
                "/reports/17",
                200,
                at: 1_796_108_602,
                line: 2,
                body: #"{"id": "17", "rows": [1], "a b": 1}"#
            ),
            Self.exchange("GET", "/reports/42", 500, at: 1_796_108_603, line: 3),
        ]
        let incident = IncidentDetector.incidents(in: exchanges)[0]
        let scenario = IncidentScenario(baseURL: try LoopbackBaseURL("http://localhost:9000/")).json(for: incident)
        #expect(scenario["id"] == .string(incident.id))
        #expect(scenario["type"] == .string("regression"))
        #expect(scenario["http"]?["url"] == .string("http://localhost:9000/reports/42"))
        let expect = try #require(scenario["http"]?["expect"])
        #expect(expect["status"]?["lt"] != nil)
        #expect(expect["status"]?["equals"] != nil)
        #expect(expect["headers"]?["Content-Type"]?["contains"] == .string("application/json"))
        #expect(expect["json"]?["$.id"]?["exists"] == .bool(true))
        #expect(expect["json"]?["$['a b']"]?["exists"] == .bool(true))
        guard case .string(let description) = scenario["description"] else {
            Issue.record("no description")
            return
        }
        #expect(
            description.contains("GET /reports/{id} was answered 5xx, 2 times in access.log (line 1, line 3)"),
            "\(description)"
        )
        #expect(
            description.contains("first seen 2026-12-01T07:03:21.000Z, last seen 2026-12-01T07:03:23.000Z"),
            "\(description)"
        )
    }

    @Test func aBaseURLMustBeHTTPLoopback() {
        #expect(throws: IncidentError.self) { try LoopbackBaseURL("https://127.0.0.1:8080") }
        #expect(throws: IncidentError.self) { try LoopbackBaseURL("http://shop.example:8080") }
        #expect(throws: IncidentError.self) { try LoopbackBaseURL("http://127.0.0.1:8080/api") }
        #expect(throws: IncidentError.self) { try LoopbackBaseURL("http://127.0.0.1:0") }
        #expect((try? LoopbackBaseURL("http://[::1]:3000"))?.description == "http://[::1]:3000")
        #expect(LoopbackBaseURL.standard.description == "http://127.0.0.1:8080")
    }
}
