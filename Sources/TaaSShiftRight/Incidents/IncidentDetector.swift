import Foundation
import TaaSCore

/// Finds the incidents in recorded exchanges and groups them into classes by method, route and signature.
public enum IncidentDetector {
    /// The incident classes of the exchanges, in the order of their first occurrence, each with the
    /// baseline of the good answers recorded on its route.
    public static func incidents(in exchanges: [RecordedExchange]) -> [Incident] {
        var classes: [Incident] = []
        var index: [String: Int] = [:]
        var good: [String: [RecordedResponse]] = [:]
        for exchange in exchanges {
            let method = exchange.method.uppercased()
            let route = RouteTemplate.route(of: exchange.url)
            guard ErrorSignature.isIncident(exchange) else {
                if let response = exchange.response { good["\(method) \(route)", default: []].append(response) }
                continue
            }
            let signature = ErrorSignature.of(exchange)
            let id = Incident.id(method: method, route: route, signature: signature)
            if index[id] == nil {
                index[id] = classes.count
                classes.append(Incident(method: method, route: route, signature: signature, example: exchange))
            }
            classes[index[id]!].record(exchange)
        }
        for position in classes.indices {
            let responses = good["\(classes[position].method) \(classes[position].route)"] ?? []
            classes[position].baseline = baseline(of: responses)
        }
        return classes
    }

    /// What the good answers had in common; `nil` when there were none.
    static func baseline(of responses: [RecordedResponse]) -> RouteBaseline? {
        guard let first = responses.first else { return nil }
        var baseline = RouteBaseline(count: responses.count)
        if responses.allSatisfy({ $0.status == first.status }) { baseline.status = first.status }
        let types = responses.map { response in
            response.header("Content-Type").map { value in
                value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            }
        }
        if let type = types.first ?? nil, !type.isEmpty, types.allSatisfy({ $0 == type }) {
            baseline.contentType = type
        }
        var keys: [String]?
        for response in responses {
            guard let body = response.body, let parsed = try? JSONParser.parse(body),
                case .object(let members) = parsed.value
            else {
                keys = []
                break
            }
            let names = members.map(\.key)
            keys = keys.map { kept in kept.filter(names.contains) } ?? names
        }
        baseline.jsonKeys = keys ?? []
        return baseline
    }
}
