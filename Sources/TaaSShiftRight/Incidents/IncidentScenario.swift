import Foundation
import TaaSCore

/// The regression scenario of an incident class: the recorded request, sent to the service under test
/// at the base URL, that must not be answered 5xx, and must look like the good answers recorded on
/// its route.
public struct IncidentScenario: Sendable {
    /// Where the request is sent.
    public var baseURL: LoopbackBaseURL
    /// What is kept out of the request.
    public var secrets: SecretPolicy

    /// The largest request body put into a scenario, in bytes (the contract takes requests up to 190 KiB).
    public static let maximumBodyBytes = 64 * 1024

    /// Headers the contract rejects or that only make sense on the original connection.
    static let droppedHeaders: Set<String> = [
        "host", "content-length", "connection", "transfer-encoding", "keep-alive", "proxy-connection", "te",
        "trailer", "upgrade", "accept-encoding", "expect",
    ]

    public init(baseURL: LoopbackBaseURL = .standard, secrets: SecretPolicy = SecretPolicy()) {
        self.baseURL = baseURL
        self.secrets = secrets
    }

    /// The scenario as the contract's JSON (`id`, `type: "regression"`, `description`, `http`).
    public func json(for incident: Incident) -> JSONValue {
        let exchange = incident.example
        var notes: [String] = []
        var discarded: Set<String> = []
        var request: [JSONMember] = [member("method", .string(exchange.method.uppercased()))]
        request.append(member("url", .string(baseURL.description + target(of: exchange.url, discarded: &discarded))))

        var headers: [JSONMember] = []
        var seen: Set<String> = []
        var droppedSecret: [String] = []
        for header in exchange.requestHeaders {
            let lowered = header.name.lowercased()
            if secrets.isSecretHeader(header.name) {
                discarded.formUnion(secrets.secretValues(ofHeader: header.name, value: header.value))
                if !droppedSecret.contains(header.name) { droppedSecret.append(header.name) }
                continue
            }
            guard !Self.droppedHeaders.contains(lowered), Self.isHeaderName(header.name), !seen.contains(lowered),
                !header.value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\u{0}" }),
                HTTPPlaceholders.names(in: header.value).isEmpty
            else { continue }
            seen.insert(lowered)
            headers.append(member(header.name, .string(header.value)))
        }
        if !droppedSecret.isEmpty {
            notes.append("Left out as secrets: the headers \(droppedSecret.joined(separator: ", ")).")
        }
        if !headers.isEmpty { request.append(member("headers", .object(headers))) }
        if let body = exchange.requestBody, !body.isEmpty {
            if let pair = self.body(body, contentType: header("Content-Type", of: exchange), discarded: &discarded) {
                request.append(member(pair.0, pair.1))
            } else {
                notes.append("The recorded body (\(body.count) bytes) is left out: binary, too large or templated.")
            }
        }
        request.append(member("expect", expectation(incident.baseline)))

        let description = describe(incident) + (notes.isEmpty ? "" : " " + notes.joined(separator: " "))
        let scenario: JSONValue = .object([
            member("id", .string(incident.id)),
            member("type", .string("regression")),
            member("description", .string(description)),
            member("http", .object(request)),
        ])
        return SecretPolicy.scrubbing(scenario, of: discarded)
    }

    /// The provenance in words.
    func describe(_ incident: Incident) -> String {
        let outcome: String
        if incident.signature == "no answer" {
            outcome = "got no answer"
        } else if incident.signature.hasPrefix("5xx") {
            outcome = "was answered \(incident.signature)"
        } else {
            outcome = "failed with \(incident.signature)"
        }
        let times = incident.count == 1 ? "once" : "\(incident.count) times"
        var text = "Regression from production: \(incident.method) \(incident.route) \(outcome), \(times)"
        var byFile: [(file: String, positions: [String])] = []
        for source in incident.sources {
            let name = (source.file as NSString).lastPathComponent
            let position = "\(source.unit) \(source.position)"
            if let index = byFile.firstIndex(where: { $0.file == name }) {
                byFile[index].positions.append(position)
            } else {
                byFile.append((name, [position]))
            }
        }
        let shown = byFile.map { file in
            let positions =
                file.positions.count > 5
                ? file.positions.prefix(5).joined(separator: ", ") + " and \(file.positions.count - 5) more"
                : file.positions.joined(separator: ", ")
            return "\(file.file) (\(positions))"
        }
        text += " in \(shown.joined(separator: "; "))"
        if let first = incident.firstSeen, let last = incident.lastSeen {
            text +=
                first == last
                ? ", at \(RecordingDates.text(first))"
                : ", first seen \(RecordingDates.text(first)), last seen \(RecordingDates.text(last))"
        }
        text += ". Recorded request: \(incident.example.method) \(RequestTarget(incident.example.url).path)."
        text += " Expected now: no 5xx answer"
        if let baseline = incident.baseline {
            text += ", like the \(baseline.count) good answer\(baseline.count == 1 ? "" : "s") recorded on this route"
        }
        return text + "."
    }

    /// `{"status": {"lt": 500}}` and what the good answers had in common.
    func expectation(_ baseline: RouteBaseline?) -> JSONValue {
        var status: [JSONMember] = [member("lt", .number(JSONNumber("500")))]
        if let code = baseline?.status { status.append(member("equals", .number(JSONNumber(String(code))))) }
        var members = [member("status", .object(status))]
        if let type = baseline?.contentType {
            members.append(
                member("headers", .object([member("Content-Type", .object([member("contains", .string(type))]))]))
            )
        }
        let keys = (baseline?.jsonKeys ?? []).compactMap(Self.jsonPath)
        if !keys.isEmpty {
            members.append(member("json", .object(keys.map { member($0, .object([member("exists", .bool(true))])) })))
        }
        return .object(members)
    }

    /// The path and query with secret parameters masked, spaces and braces escaped.
    func target(of url: String, discarded: inout Set<String>) -> String {
        var target = RequestTarget(url)
        for index in target.query.indices
        where secrets.isSecretParameter(RequestTarget.decodedName(target.query[index].name)) {
            if let value = target.query[index].value, !value.isEmpty {
                discarded.insert(value)
                if let decoded = value.replacingOccurrences(of: "+", with: " ").removingPercentEncoding {
                    discarded.insert(decoded)
                }
                target.query[index].value = SecretPolicy.mask
            }
        }
        return target.pathAndQuery.replacingOccurrences(of: " ", with: "%20")
            .replacingOccurrences(of: "{", with: "%7B").replacingOccurrences(of: "}", with: "%7D")
    }

    /// `("json", value)` for a JSON body with its secret members masked, `("body", text)` for text (a form's
    /// secret fields masked); `nil` for a binary, too large or templated body.
    func body(_ data: Data, contentType: String?, discarded: inout Set<String>) -> (String, JSONValue)? {
        guard data.count <= Self.maximumBodyBytes, let text = String(data: data, encoding: .utf8),
            !text.contains("\u{0}")
        else { return nil }
        let type = contentType?.lowercased() ?? ""
        if type.contains("json") || type.isEmpty, let parsed = try? JSONParser.parse(data) {
            let masked = secrets.masking(parsed.value, secrets: &discarded)
            guard HTTPPlaceholders.names(in: CanonicalJSON.string(masked)).isEmpty else { return nil }
            return ("json", masked)
        }
        guard HTTPPlaceholders.names(in: text).isEmpty else { return nil }
        if type.contains("x-www-form-urlencoded") {
            let masked = target(of: "/?" + text, discarded: &discarded).dropFirst(2)
            return ("body", .string(String(masked)))
        }
        return ("body", .string(text))
    }

    private func header(_ name: String, of exchange: RecordedExchange) -> String? {
        exchange.requestHeaders.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// `$.name`, or `$['name']` for names that are not plain words; `nil` for names a JSONPath cannot hold.
    static func jsonPath(_ key: String) -> String? {
        if let first = key.first, first.isLetter || first == "_",
            key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        {
            return "$.\(key)"
        }
        guard !key.contains("'"), !key.contains("\\"), !key.isEmpty else { return nil }
        return "$['\(key)']"
    }

    private static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (CharacterSet.alphanumerics.contains(scalar)
                        || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
            }
    }

    private func member(_ key: String, _ value: JSONValue) -> JSONMember {
        JSONMember(key: key, value: value)
    }
}
