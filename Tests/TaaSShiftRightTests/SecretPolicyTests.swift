import Foundation
import TaaSCore
import TaaSShiftRight
import Testing

@Suite struct SecretPolicyTests {
    static func incident(_ exchange: RecordedExchange) -> Incident {
        IncidentDetector.incidents(in: [exchange])[0]
    }

    @Test func secretHeadersAreDroppedAndSecretParametersMasked() throws {
        let exchange = RecordedExchange(
            method: "POST",
            url: "https://shop.example/reports/17?q=tea&api_key=SECRET123&access_token=tok-9876&page=2",
            requestHeaders: [
                HTTPField(name: "Authorization", value: "Bearer s3cr3t-token"),
                HTTPField(name: "Cookie", value: "session=abc123def; theme=dark"),
                HTTPField(name: "X-Api-Key", value: "key-5555"),
                HTTPField(name: "X-Auth-Token", value: "tttt-1111"),
                HTTPField(name: "Host", value: "shop.example"),
                HTTPField(name: "Content-Length", value: "40"),
                HTTPField(name: "Connection", value: "keep-alive"),
                HTTPField(name: "Accept", value: "application/json"),
                HTTPField(name: "Content-Type", value: "application/json"),
                HTTPField(name: ":authority", value: "shop.example"),
            ],
            requestBody: Data(#"{"user": "ada", "password": "hunter22", "note": "uses hunter22 twice"}"#.utf8),
            response: RecordedResponse(status: 500),
            source: RecordingSource(file: "t.har", unit: "entry", position: 1)
        )
        let scenario = IncidentScenario().json(for: Self.incident(exchange))
        let text = CanonicalJSON.string(scenario)
        for secret in ["s3cr3t-token", "abc123def", "key-5555", "tttt-1111", "SECRET123", "tok-9876", "hunter22"] {
            #expect(!text.contains(secret), "\(secret) leaked: \(text)")
        }
        let request = try #require(scenario["http"])
        #expect(request["url"] == .string("http://127.0.0.1:8080/reports/17?q=tea&api_key=***&access_token=***&page=2"))
        let headers = try #require(request["headers"])
        guard case .object(let members) = headers else {
            Issue.record("headers: \(headers)")
            return
        }
        #expect(members.map(\.key) == ["Accept", "Content-Type"])
        #expect(request["json"]?["password"] == .string("***"))
        #expect(request["json"]?["note"] == .string("uses *** twice"))
        #expect(scenario["description"].map(CanonicalJSON.string)?.contains("Authorization, Cookie, X-Api-Key") == true)
    }

    @Test func extraNamesAndNamePartsAreSecretToo() {
        let policy = SecretPolicy(extraNames: ["X-Tenant"])
        #expect(policy.isSecretHeader("x-tenant"))
        #expect(policy.isSecretHeader("X-CSRF-Token"))
        #expect(policy.isSecretHeader("Proxy-Authorization"))
        #expect(!policy.isSecretHeader("Accept-Language"))
        #expect(policy.isSecretParameter("client_secret"))
        #expect(policy.isSecretParameter("sig"))
        #expect(policy.isSecretParameter("myPassword"))
        #expect(!policy.isSecretParameter("q"))
    }

    @Test func aFormBodyHasItsSecretFieldsMasked() throws {
        let exchange = RecordedExchange(
            method: "POST",
            url: "/login",
            requestHeaders: [HTTPField(name: "Content-Type", value: "application/x-www-form-urlencoded")],
            requestBody: Data("user=ada&password=p4ssw0rd!".utf8),
            response: nil,
            source: RecordingSource(file: "t.har", unit: "entry", position: 1)
        )
        let scenario = IncidentScenario().json(for: Self.incident(exchange))
        #expect(scenario["http"]?["body"] == .string("user=ada&password=***"))
        #expect(!CanonicalJSON.string(scenario).contains("p4ssw0rd"))
    }
}
