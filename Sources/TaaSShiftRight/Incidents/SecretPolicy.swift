import Foundation
import TaaSCore

/// What is kept out of generated scenarios: credentials in headers, query parameters and JSON bodies.
///
/// - Headers that carry credentials are dropped: `Authorization`, `Proxy-Authorization`, `Cookie`,
///   `Set-Cookie`, and every header whose name contains `token`, `secret`, `key`, `auth`, `session`,
///   `password`, `signature`, `credential`, `csrf` or `xsrf` (`X-Api-Key`, `X-Auth-Token`, …).
/// - Query parameters and JSON body members with secret-looking names keep their name and get the
///   value `***`: `api_key`, `apikey`, `key`, `token`, `access_token`, `password`, `secret`, `sig`,
///   `signature`, `session`, `code`, and every name containing `token`, `secret`, `password`, `passwd`,
///   `api_key`, `apikey` or `credential`.
/// - Every secret value seen is also replaced by `***` wherever else it appears in the output
///   (a body, an error message), so that it cannot leak by another way.
public struct SecretPolicy: Sendable {
    /// What a masked value becomes.
    public static let mask = "***"

    /// More names (headers, query parameters, JSON members; case-insensitive) to treat as secret.
    public var extraNames: Set<String>

    public init(extraNames: Set<String> = []) {
        self.extraNames = Set(extraNames.map { $0.lowercased() })
    }

    private static let secretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie",
    ]
    private static let secretHeaderParts = [
        "token", "secret", "key", "auth", "session", "password", "signature", "credential", "csrf", "xsrf",
    ]
    private static let secretParameters: Set<String> = [
        "api_key", "apikey", "api-key", "key", "token", "access_token", "refresh_token", "id_token", "password",
        "passwd", "pwd", "pass", "secret", "client_secret", "sig", "signature", "session", "sessionid", "code",
        "auth", "jwt",
    ]
    private static let secretParameterParts = [
        "token", "secret", "password", "passwd", "api_key", "apikey", "api-key", "credential", "private",
    ]

    /// Whether a header carries a credential.
    public func isSecretHeader(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if Self.secretHeaders.contains(lowered) || extraNames.contains(lowered) { return true }
        return Self.secretHeaderParts.contains { lowered.contains($0) }
    }

    /// Whether a query parameter or a JSON member holds a credential.
    public func isSecretParameter(_ name: String) -> Bool {
        let lowered = name.lowercased()
        if Self.secretParameters.contains(lowered) || extraNames.contains(lowered) { return true }
        return Self.secretParameterParts.contains { lowered.contains($0) }
    }

    /// The values a secret header holds, as they may appear elsewhere: the whole value, an
    /// `Authorization` value's credentials after its scheme, and each cookie's value.
    public func secretValues(ofHeader name: String, value: String) -> [String] {
        var values = [value]
        let parts = value.split(separator: " ", maxSplits: 1)
        if parts.count == 2 { values.append(String(parts[1])) }
        if ["cookie", "set-cookie"].contains(name.lowercased()) {
            for pair in value.split(separator: ";") {
                if let equals = pair.firstIndex(of: "=") {
                    values.append(pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces))
                }
            }
        }
        return values.filter { $0.count >= 4 }
    }

    /// A JSON value with the values of secret-named members masked, at any depth; the masked texts are
    /// added to `secrets`.
    func masking(_ value: JSONValue, secrets: inout Set<String>) -> JSONValue {
        switch value {
        case .object(let members):
            var masked: [JSONMember] = []
            for member in members {
                if isSecretParameter(member.key) {
                    if case .string(let text) = member.value, text.count >= 4 { secrets.insert(text) }
                    masked.append(JSONMember(key: member.key, value: .string(Self.mask)))
                } else {
                    masked.append(JSONMember(key: member.key, value: masking(member.value, secrets: &secrets)))
                }
            }
            return .object(masked)
        case .array(let elements):
            var masked: [JSONValue] = []
            for element in elements { masked.append(masking(element, secrets: &secrets)) }
            return .array(masked)
        default: return value
        }
    }

    /// Every string in `value` with each of `secrets` replaced by ``mask``.
    static func scrubbing(_ value: JSONValue, of secrets: Set<String>) -> JSONValue {
        guard !secrets.isEmpty else { return value }
        switch value {
        case .string(let text): return .string(scrubbing(text, of: secrets))
        case .array(let elements): return .array(elements.map { scrubbing($0, of: secrets) })
        case .object(let members):
            return .object(members.map { JSONMember(key: $0.key, value: scrubbing($0.value, of: secrets)) })
        default: return value
        }
    }

    /// `text` with each of `secrets` (longest first) replaced by ``mask``.
    static func scrubbing(_ text: String, of secrets: Set<String>) -> String {
        var result = text
        for secret in secrets.sorted(by: { $0.count > $1.count }) where secret.count >= 4 && result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: mask)
        }
        return result
    }
}

extension SecretPolicy {
    /// The secret values an exchange holds: secret headers' values, secret query parameters' values
    /// (as written and decoded), and secret members of a JSON body.
    public func secretValues(in exchange: RecordedExchange) -> Set<String> {
        var values: Set<String> = []
        for header in exchange.requestHeaders where isSecretHeader(header.name) {
            values.formUnion(secretValues(ofHeader: header.name, value: header.value))
        }
        for parameter in RequestTarget(exchange.url).query
        where isSecretParameter(RequestTarget.decodedName(parameter.name)) {
            guard let value = parameter.value else { continue }
            values.insert(value)
            if let decoded = value.replacingOccurrences(of: "+", with: " ").removingPercentEncoding {
                values.insert(decoded)
            }
        }
        if let body = exchange.requestBody, let parsed = try? JSONParser.parse(body) {
            _ = masking(parsed.value, secrets: &values)
        }
        return values.filter { $0.count >= 4 }
    }
}
