import Foundation
import TaaSCore

/// Writes an HTTP/1.1 request as bytes: the request line, `Host`, the check's headers, a
/// `Content-Length` for a body, and `Connection: close` so that the server ends the exchange.
/// Package-wide: `taas replay` sends recorded requests with it.
package enum HTTPRequestEncoder {
    /// The bytes of `check`, with `{{name}}` placeholders filled from `captured`, and a W3C
    /// `traceparent` header when `traceparent` is given and the check sets none itself.
    package static func encode(_ check: HTTPCheck, captured: [String: String], traceparent: String? = nil) -> [UInt8] {
        let path = HTTPPlaceholders.fill(check.path, with: captured)
        var body: [UInt8] = []
        var headers = check.headers.map {
            HTTPHeader(name: $0.name, value: HTTPPlaceholders.fill($0.value, with: captured))
        }
        switch check.body {
        case .text(let text)?:
            body = Array(HTTPPlaceholders.fill(text, with: captured).utf8)
        case .json(let value)?:
            body = Array(fill(value, with: captured).utf8)
            if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
                headers.append(HTTPHeader(name: "Content-Type", value: "application/json"))
            }
        case nil:
            break
        }
        let shownHost = check.host.contains(":") ? "[\(check.host)]" : check.host
        var lines = ["\(check.method) \(path) HTTP/1.1"]
        if !headers.contains(where: { $0.name.lowercased() == "host" }) {
            lines.append("Host: \(shownHost):\(check.port)")
        }
        if !headers.contains(where: { $0.name.lowercased() == "user-agent" }) { lines.append("User-Agent: taas") }
        lines += headers.map { "\($0.name): \($0.value)" }
        if let traceparent, !headers.contains(where: { $0.name.lowercased() == "traceparent" }) {
            lines.append("traceparent: \(traceparent)")
        }
        if check.body != nil || ["POST", "PUT", "PATCH"].contains(check.method) {
            lines.append("Content-Length: \(body.count)")
        }
        lines.append("Connection: close")
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) + body
    }

    /// A JSON body's text with placeholders in its strings filled (a string that is only a
    /// placeholder keeps the captured value's JSON type).
    private static func fill(_ value: JSONValue, with captured: [String: String]) -> String {
        CanonicalJSON.string(substitute(value, captured))
    }

    private static func substitute(_ value: JSONValue, _ captured: [String: String]) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(HTTPPlaceholders.fill(text, with: captured))
        case .array(let elements):
            return .array(elements.map { substitute($0, captured) })
        case .object(let members):
            return .object(members.map { JSONMember(key: $0.key, value: substitute($0.value, captured)) })
        default:
            return value
        }
    }
}
