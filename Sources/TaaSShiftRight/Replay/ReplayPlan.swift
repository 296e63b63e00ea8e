import Foundation
import TaaSCore

/// A replay laid out as a scope: the original scope's environment, setup, teardown and services,
/// with one native `http` scenario per recorded exchange (`REPLAY-0001-GET-orders`), each sending
/// the recorded request to the service under test.
public struct ReplayPlan: Sendable {
    /// One recorded exchange and the scenario that replays it.
    public struct Item: Sendable {
        /// The scenario's id, such as `REPLAY-0001-GET-orders`.
        public var scenarioID: String
        public var exchange: RecordedExchange
        /// The request as it is sent to the service.
        public var check: HTTPCheck
        public var route: ReplayRoute
    }

    /// The scope to run (the original's fingerprint is kept: it is the scope whose services run).
    public var scope: TestScope
    public var target: ReplayTarget
    /// The exchanges in recorded order.
    public var items: [Item]

    /// Request headers that are the connection's, not the request's: never replayed as recorded.
    /// `Accept-Encoding` is dropped so that answers come back as plain as the recording keeps them.
    static let droppedHeaders: Set<String> = [
        "host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "upgrade",
        "proxy-connection", "proxy-authorization", "accept-encoding", "traceparent", "tracestate",
    ]

    /// Lays out the replay of `exchanges` against the service `service` of `scope`.
    ///
    /// - Parameter timeout: The most one scenario (two sends of its request) may take.
    /// - Throws: ``ReplayError``: the service is unknown or has no address, or there is no exchange.
    public init(
        scope: TestScope,
        exchanges: [RecordedExchange],
        service: String,
        timeout: Duration = .seconds(60)
    ) throws(ReplayError) {
        let target = try ReplayTarget(service: service, of: scope)
        guard !exchanges.isEmpty else {
            throw ReplayError(.recording, "the recording holds no request: there is nothing to replay")
        }
        var items: [Item] = []
        for (index, exchange) in exchanges.enumerated() {
            let path = Self.pathAndQuery(of: exchange.url)
            let route = ReplayRoute(method: exchange.method, path: path)
            let words = route.template.split(separator: "/").filter { $0 != "{id}" }
                .map { $0.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } }
                .filter { !$0.isEmpty }
            let id = (["REPLAY", String(format: "%04d", index + 1), exchange.method.filter(\.isLetter)] + words)
                .joined(separator: "-")
            let check = HTTPCheck(
                method: exchange.method,
                host: target.host,
                port: target.port,
                path: path,
                headers: exchange.requestHeaders
                    .filter { !Self.droppedHeaders.contains($0.name.lowercased()) && !$0.name.hasPrefix(":") }
                    .map { HTTPHeader(name: $0.name, value: $0.value) },
                body: exchange.requestBody.map { .text(String(decoding: $0, as: UTF8.self)) }
            )
            items.append(Item(scenarioID: String(id.prefix(80)), exchange: exchange, check: check, route: route))
        }
        let scenarios = items.map { item in
            Scenario(
                id: item.scenarioID,
                type: "replay",
                description: "\(item.exchange.method) \(item.check.path) (\(item.exchange.source.display))",
                action: .http([item.check]),
                timeout: timeout
            )
        }
        self.scope = TestScope(
            id: scope.id,
            description: scope.description,
            environment: scope.environment,
            lifecycle: scope.lifecycle,
            services: scope.services,
            scenarios: scenarios,
            integrity: scope.integrity,
            fingerprint: scope.fingerprint
        )
        self.target = target
        self.items = items
    }

    /// The path and query of a recorded URL (`http://shop.example/orders?x=1` → `/orders?x=1`);
    /// a URL that is already a path is kept.
    static func pathAndQuery(of url: String) -> String {
        guard !url.hasPrefix("/"), let components = URLComponents(string: url), components.host != nil else {
            return url.hasPrefix("/") ? url : "/" + url
        }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        return components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
    }
}
