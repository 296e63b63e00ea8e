import Crypto
import Foundation

/// One class of incidents: every failed request with the same method, route and error signature.
public struct Incident: Sendable, Equatable {
    /// `INC-` and the first 8 hexadecimal digits of the SHA-256 of `METHOD ROUTE SIGNATURE`: the same
    /// failure gets the same id in every log it is read from.
    public var id: String
    /// `GET`, `POST`, …
    public var method: String
    /// The path with its ids collapsed (see ``RouteTemplate``).
    public var route: String
    /// What failed (see ``ErrorSignature``).
    public var signature: String
    /// How many requests failed this way.
    public var count: Int
    /// When the earliest and the latest of them were made, when the recordings say.
    public var firstSeen: Date?
    public var lastSeen: Date?
    /// Where each occurrence was read, in input order.
    public var sources: [RecordingSource]
    /// The first occurrence: its request becomes the regression scenario's request.
    public var example: RecordedExchange
    /// What answers that did not fail looked like on the same method and route, if any were recorded.
    public var baseline: RouteBaseline?

    public init(
        method: String,
        route: String,
        signature: String,
        example: RecordedExchange,
        baseline: RouteBaseline? = nil
    ) {
        self.id = Self.id(method: method, route: route, signature: signature)
        self.method = method
        self.route = route
        self.signature = signature
        self.count = 0
        self.sources = []
        self.example = example
        self.baseline = baseline
    }

    /// The stable id of an incident class.
    public static func id(method: String, route: String, signature: String) -> String {
        let digest = SHA256.hash(data: Data("\(method) \(route) \(signature)".utf8))
        return "INC-" + digest.prefix(4).map { String(format: "%02x", $0) }.joined()
    }

    /// Counts one more occurrence.
    mutating func record(_ exchange: RecordedExchange) {
        count += 1
        sources.append(exchange.source)
        if let date = exchange.startedAt {
            firstSeen = min(firstSeen ?? date, date)
            lastSeen = max(lastSeen ?? date, date)
        }
    }
}

/// What recorded good answers (status below 500, no error) on one method and route had in common.
public struct RouteBaseline: Sendable, Equatable {
    /// How many good answers were recorded.
    public var count: Int
    /// Their status, when all had the same.
    public var status: Int?
    /// Their media type (`application/json`, without parameters), when all had the same.
    public var contentType: String?
    /// The top-level members of their JSON object bodies that every one of them had, in the order of the first.
    public var jsonKeys: [String]

    public init(count: Int = 0, status: Int? = nil, contentType: String? = nil, jsonKeys: [String] = []) {
        self.count = count
        self.status = status
        self.contentType = contentType
        self.jsonKeys = jsonKeys
    }
}
