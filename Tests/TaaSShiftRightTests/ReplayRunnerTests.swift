import Foundation
import TaaSCore
import TaaSTesting
import Testing

@testable import TaaSShiftRight

/// The replay's runner on a sandbox whose loopback exchanges are scripted: what it sends, that it
/// sends twice, what it keeps for replay.json, and what a failed scenario says.
@Suite struct ReplayRunnerTests {
    /// Answers each exchange from a script by path, and remembers the requests.
    actor Loopback {
        var requests: [String] = []
        var served: [String: Int] = [:]
        let script: @Sendable (String, Int) -> LoopbackExchangeResult

        init(script: @escaping @Sendable (String, Int) -> LoopbackExchangeResult) { self.script = script }

        func answer(_ exchange: LoopbackExchange) -> LoopbackExchangeResult {
            let text = String(decoding: exchange.request, as: UTF8.self)
            requests.append(text)
            let path = String(text.split(separator: " ")[1])
            let count = served[path, default: 0]
            served[path] = count + 1
            return script(path, count)
        }
    }

    /// The fake sandbox's instance, with its exchanges answered by a ``Loopback``.
    struct ScriptedInstance: SandboxInstance {
        let base: any SandboxInstance
        let loopback: Loopback
        var description: SandboxDescription { base.description }
        var workspacePath: String { base.workspacePath }
        var artifactsPath: String { base.artifactsPath }
        func run(_ step: StepRequest) async throws(SandboxError) -> StepOutcome { try await base.run(step) }
        func start(_ step: StepRequest) async throws(SandboxError) -> any BackgroundStep {
            try await base.start(step)
        }
        func probe(_ probe: NetworkProbe) async throws(SandboxError) -> ProbeResult { try await base.probe(probe) }
        func readArtifact(_ name: String) async throws(SandboxError) -> Data? { try await base.readArtifact(name) }
        func exchange(_ exchange: LoopbackExchange) async throws(SandboxError) -> LoopbackExchangeResult {
            await loopback.answer(exchange)
        }
    }

    static func http(_ body: String, status: String = "200 OK") -> LoopbackExchangeResult {
        let text =
            "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        return LoopbackExchangeResult(
            response: Array(text.utf8),
            elapsed: .milliseconds(3),
            truncated: false,
            failure: nil
        )
    }

    @Test func eachRequestIsSentTwiceAndTheFailedScenarioNamesThePathAndBothValues() async throws {
        let scope = TestScope(
            id: "shop",
            services: [Service(name: "shop", command: "x", readiness: Readiness(probe: .tcp(port: 8000)))],
            scenarios: []
        )
        let recorded = Data(#"{"id": "1", "price": 12.5, "seq": 1}"#.utf8)
        let exchanges = [
            RecordedExchange(
                method: "GET",
                url: "http://shop.example/orders/1",
                requestHeaders: [
                    HTTPField(name: "Accept-Encoding", value: "gzip"), HTTPField(name: "X-Client", value: "web"),
                ],
                response: RecordedResponse(
                    status: 200,
                    headers: [HTTPField(name: "Content-Type", value: "application/json")],
                    body: recorded
                ),
                source: RecordingSource(file: "t.har", unit: "entry", position: 1)
            ),
            RecordedExchange(
                method: "GET",
                url: "http://shop.example/gone",
                response: nil,
                source: RecordingSource(file: "t.har", unit: "entry", position: 2)
            ),
        ]
        let plan = try ReplayPlan(scope: scope, exchanges: exchanges, service: "shop")
        let runner = ReplayRunner(plan: plan, rules: .standard)
        let loopback = Loopback { path, count in
            path == "/gone"
                ? LoopbackExchangeResult(
                    response: [],
                    elapsed: .zero,
                    truncated: false,
                    failure: "connect to 127.0.0.1:8000: Connection refused"
                )
                : Self.http(#"{"id": "1", "price": 13.0, "seq": \#(count + 10)}"#)
        }
        let results = try await FakeSandbox().withInstance(
            SandboxConfiguration(
                runID: "replay-runner",
                workspace: FileManager.default.temporaryDirectory,
                logDirectory: FileManager.default.temporaryDirectory,
                cacheDirectory: FileManager.default.temporaryDirectory
            )
        ) { base in
            let instance = ScriptedInstance(base: base, loopback: loopback)
            var results: [RunnerResult] = []
            for scenario in plan.scope.scenarios {
                results.append(
                    try await runner.run(
                        RunnerAttempt(scenario: scenario, number: 1, label: "\(scenario.id).attempt-1"),
                        in: instance
                    )
                )
            }
            return results
        }
        #expect(results.map(\.verdict) == [.fail, .fail])
        #expect(results[0].message == "GET /orders/1: $.price: recorded 12.5, got 13.0")
        #expect(results[0].cases.map(\.name) == ["GET /orders/1"])
        #expect(results[1].message == "GET /gone: no answer to compare: connect to 127.0.0.1:8000: Connection refused")
        let requests = await loopback.requests
        #expect(requests.count == 3)
        #expect(requests[0] == requests[1])
        #expect(requests[0].hasPrefix("GET /orders/1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"))
        #expect(requests[0].contains("X-Client: web\r\n"))
        #expect(!requests[0].contains("gzip"))
        let entry = try #require(await runner.ledger.entry(for: "REPLAY-0001-GET-orders"))
        #expect(entry.replayedStatus == [200, 200])
        #expect(entry.noise == ["$.seq"])
        #expect(await runner.ledger.noise(for: ReplayRoute(method: "GET", path: "/orders/7")) == ["$.seq"])
        #expect(await runner.ledger.entry(for: "REPLAY-0002-GET-gone")?.problem?.contains("Connection refused") == true)
    }
}
