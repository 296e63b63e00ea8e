import Foundation
import Hummingbird
import NIOHTTP1
import TaaSFabric
import Testing

/// `GET /v1/openapi.json` describes exactly the routes the router has.
@Suite struct OpenAPITests {
    @Test func theDocumentHasExactlyTheRoutersOperations() async throws {
        try await LiveFabric.with { live in
            let answer = try await live.request(.GET, "/v1/openapi.json")
            let document = try answer.json()
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(
                paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } }
            )
            let routed = Set(
                FabricServer(fabric: live.fabric).router().routes.map { route in
                    let path = route.path.description.split(separator: "/").map { part in
                        part == "**" ? "{path}" : part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
                    }
                    return "\(route.method) /" + path.joined(separator: "/")
                }
            )
            #expect(documented == routed)
        }
    }
}
