import Foundation
import TaaSCore
import TaaSShiftRight
import TaaSTesting
import Testing

/// A genuine HAR recorded by mitmproxy's `mitmdump` as a reverse proxy in front of the broken shop,
/// with credentials in the headers and the query of the failing request: the fragment keeps none of them.
@Suite struct HARSecretsTests {
    /// `mitmdump` of the tests' tools, when `scripts/test-tools` installed it.
    static var mitmdump: String? { TestTools.mitmdump?.path }

    @Test(.enabled(if: mitmdump != nil, "mitmdump is not installed: run scripts/test-tools"), .timeLimit(.minutes(3)))
    func noSecretOfARecordedFailingRequestAppearsInTheFragment() async throws {
        let folder = try TestFolder("har-secrets")
        defer { folder.remove() }
        let shopPort = try LoopbackPort.free()
        let shop = try await Shop.start(port: shopPort, build: "broken", in: folder)
        defer { shop.kill() }
        let proxyPort = try LoopbackPort.free()
        let har = folder.path("traffic.har")
        let proxy = try OwnedProcess(
            "/usr/bin/python3",
            [
                "-c", ShopRecording.unblocking, try #require(Self.mitmdump), "-q", "--mode",
                "reverse:http://127.0.0.1:\(shopPort)",
                "--listen-host", "127.0.0.1", "--listen-port", String(proxyPort), "--set", "hardump=\(har)",
            ],
            log: folder.url.appendingPathComponent("mitmdump.log")
        )
        defer { proxy.kill() }
        guard await LoopbackPort.waitUntilOpen(proxyPort, within: 60) else {
            Issue.record("mitmdump did not listen: \(proxy.output)")
            return
        }
        let base = "http://127.0.0.1:\(proxyPort)"
        let status = try Curl.send(
            "\(base)/reports/17?format=full&api_key=K3Y-QUERY-777",
            headers: [
                "Authorization: Bearer s3cr3t-token", "Cookie: session=c00kie-value-42; theme=dark",
                "X-Api-Key: xk-999-secret", "Accept: application/json",
            ],
            in: folder
        )
        #expect(status == 500)
        #expect(try Curl.send("\(base)/orders/1", headers: ["Authorization: Bearer s3cr3t-token"], in: folder) == 200)
        let ended = await proxy.stop(with: SIGINT, within: 30)
        #expect(ended, "mitmdump did not end on SIGINT: \(proxy.output)")
        let recorded = try String(contentsOfFile: har, encoding: .utf8)
        #expect(recorded.contains("s3cr3t-token") && recorded.contains("K3Y-QUERY-777"), "the HAR holds the secrets")

        let fragment = try IncidentFragment.make(files: [har])
        #expect(fragment.inputs.first?.format == .har)
        #expect(fragment.incidents.map { "\($0.method) \($0.route) \($0.signature)" } == ["GET /reports/{id} 5xx"])
        let text = String(decoding: fragment.data, as: UTF8.self)
        for secret in ["s3cr3t-token", "c00kie-value-42", "xk-999-secret", "K3Y-QUERY-777"] {
            #expect(!text.contains(secret), "\(secret) leaked into the fragment:\n\(text)")
        }
        let scope: JSONValue = .object([
            JSONMember(key: "scope_id", value: .string("har")),
            JSONMember(key: "scenarios", value: fragment.json["scenarios"] ?? .null),
        ])
        let (loaded, _) = try TestScope.parse(CanonicalJSON.data(scope))
        guard case .http(let checks) = loaded.scenarios.first?.action else {
            Issue.record("no http scenario")
            return
        }
        #expect(checks[0].path == "/reports/17?format=full&api_key=***")
        let names = Set(checks[0].headers.map { $0.name.lowercased() })
        #expect(names.contains("accept"), "\(checks[0].headers)")
        #expect(names.isDisjoint(with: ["authorization", "cookie", "x-api-key", "host"]), "\(checks[0].headers)")
    }
}
