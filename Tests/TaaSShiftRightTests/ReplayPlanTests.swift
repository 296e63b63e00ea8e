import Foundation
import TaaSCore
import TaaSTesting
import Testing

@testable import TaaSShiftRight

/// The replay laid out as a scope, its target, and the shape of `replay.json`.
@Suite struct ReplayPlanTests {
    private func scope(ready: Readiness.Probe?) -> TestScope {
        TestScope(
            id: "shop",
            services: [
                Service(name: "db", command: "sleep 600"),
                Service(name: "shop", command: "python3 shop.py 8000", readiness: ready.map { Readiness(probe: $0) }),
            ],
            scenarios: [Scenario(id: "UNIT", action: .command("true"))],
            fingerprint: "sha256:original"
        )
    }

    private func exchange(
        _ method: String,
        _ url: String,
        status: Int?,
        body: String? = nil,
        entry: Int
    )
        -> RecordedExchange
    {
        RecordedExchange(
            method: method,
            url: url,
            requestHeaders: [
                HTTPField(name: "Host", value: "shop.example"), HTTPField(name: "Accept", value: "application/json"),
                HTTPField(name: "Accept-Encoding", value: "gzip"), HTTPField(name: "Content-Length", value: "9"),
            ],
            requestBody: body.map { Data($0.utf8) },
            response: status.map { RecordedResponse(status: $0, body: Data("{}".utf8)) },
            source: RecordingSource(file: "/tmp/traffic.har", unit: "entry", position: entry)
        )
    }

    private var exchanges: [RecordedExchange] {
        [
            exchange("GET", "http://shop.example/orders/1", status: 200, entry: 1),
            exchange("POST", "http://shop.example/orders?dry=1", status: 201, body: #"{"item":"tea"}"#, entry: 2),
            exchange("GET", "http://shop.example/orders/2", status: nil, entry: 3),
        ]
    }

    @Test func eachExchangeBecomesAnHTTPScenarioAimedAtTheService() throws {
        let plan = try ReplayPlan(
            scope: scope(ready: .http(url: "http://127.0.0.1:8000/health")),
            exchanges: exchanges,
            service: "shop"
        )
        #expect(
            plan.scope.scenarios.map(\.id) == [
                "REPLAY-0001-GET-orders", "REPLAY-0002-POST-orders", "REPLAY-0003-GET-orders",
            ]
        )
        #expect(plan.scope.services.map(\.name) == ["db", "shop"])
        #expect(plan.scope.fingerprint == "sha256:original")
        #expect(try plan.target == ReplayTarget(service: "shop", of: scope(ready: .tcp(port: 8000))))
        let post = plan.items[1].check
        #expect(post.display == "POST http://127.0.0.1:8000/orders?dry=1")
        #expect(post.headers.map(\.name) == ["Accept"])
        #expect(post.body == .text(#"{"item":"tea"}"#))
        #expect(plan.items[0].route.description == "GET /orders/{id}")
        #expect(plan.scope.scenarios[2].description == "GET /orders/2 (traffic.har entry 3)")
        guard case .http(let checks) = plan.scope.scenarios[0].action else {
            Issue.record("not an http scenario")
            return
        }
        #expect(checks == [plan.items[0].check])
    }

    @Test func aServiceWithoutAnAddressOrAnUnknownOneIsAClearError() {
        let none = #expect(throws: ReplayError.self) {
            try ReplayPlan(scope: scope(ready: .log(pattern: "ready")), exchanges: exchanges, service: "shop")
        }
        #expect(none?.code == .noAddress)
        #expect(none?.message.contains("has no ready.http or ready.tcp") == true)
        let unknown = #expect(throws: ReplayError.self) {
            try ReplayPlan(scope: scope(ready: .tcp(port: 1)), exchanges: exchanges, service: "api")
        }
        #expect(unknown?.message.contains("--service takes one of: db, shop") == true)
        let empty = #expect(throws: ReplayError.self) {
            try ReplayPlan(scope: scope(ready: .tcp(port: 1)), exchanges: [], service: "shop")
        }
        #expect(empty?.code == .recording)
    }

    @Test func replayJSONListsEveryExchangeAndTheNoisePerRoute() async throws {
        let plan = try ReplayPlan(scope: scope(ready: .tcp(port: 8000)), exchanges: exchanges, service: "shop")
        let ledger = ReplayLedger()
        let price = ReplayMismatch(path: "$.price", kind: .changed, recorded: "12.5", got: "13.0")
        await ledger.record(
            .init(
                scenarioID: "REPLAY-0001-GET-orders",
                replayedStatus: [200, 200],
                mismatches: [price],
                noise: ["$.created_at", "$.request_id"],
                problem: nil
            ),
            route: plan.items[0].route
        )
        await ledger.record(
            .init(
                scenarioID: "REPLAY-0002-POST-orders",
                replayedStatus: [201, 201],
                mismatches: [],
                noise: ["$.id"],
                problem: nil
            ),
            route: plan.items[1].route
        )
        let report = ReportBuilder(scopeID: "shop")
            .scenario("REPLAY-0001-GET-orders", .fail)
            .scenario("REPLAY-0002-POST-orders", .pass)
            .build()
        let document = await ReplayDocument.make(
            plan: plan,
            recording: "/tmp/traffic.har",
            rules: .standard,
            ledger: ledger,
            report: report
        )
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try document.write(to: file)
        let written = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
        )
        #expect(
            Set(written.keys) == [
                "version", "recording", "service", "target", "run_id", "verdict", "auto_noise", "summary", "routes",
                "exchanges",
            ]
        )
        #expect(written["target"] as? String == "http://127.0.0.1:8000")
        let summary = try #require(written["summary"] as? [String: Int])
        #expect(summary == ["exchanges": 3, "passed": 1, "failed": 1, "not_replayed": 1])
        let routes = try #require(written["routes"] as? [[String: Any]])
        #expect(routes.map { $0["route"] as? String } == ["GET /orders/{id}", "POST /orders"])
        #expect(routes[0]["noise"] as? [String] == ["$.created_at", "$.request_id"])
        #expect(routes[0]["exchanges"] as? Int == 2)
        #expect(routes[0]["failed"] as? Int == 1)
        let first = try #require((written["exchanges"] as? [[String: Any]])?.first)
        #expect(first["differences"] as? [String] == ["$.price: recorded 12.5, got 13.0"])
        #expect(first["replayed_status"] as? [Int] == [200, 200])
        #expect(first["recorded_status"] as? Int == 200)
        #expect(first["source"] as? String == "traffic.har entry 1")
        let mismatch = try #require((first["mismatches"] as? [[String: Any]])?.first)
        #expect(mismatch["path"] as? String == "$.price")
        #expect(mismatch["kind"] as? String == "changed")
        #expect(document.exchanges[2].verdict == .skipped)
        #expect(document.exchanges[2].recordedStatus == nil)
        #expect(try JSONDecoder().decode(ReplayDocument.self, from: Data(contentsOf: file)) == document)
    }
}
