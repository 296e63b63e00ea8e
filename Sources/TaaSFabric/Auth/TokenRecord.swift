import Crypto
import Foundation

/// What a token may do. Each role includes the ones before it: `read` < `submit` < `worker` < `admin`.
public enum TokenRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Read runs, reports, scopes and events.
    case read
    /// Also submit runs, ingest reports and cancel runs.
    case submit
    /// Also take runs from the queue (the scale-out workers).
    case worker
    /// Everything.
    case admin

    private var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: TokenRole, rhs: TokenRole) -> Bool { lhs.rank < rhs.rank }
}

/// A stored token: its name, its role and the SHA-256 of its secret (the secret itself is never stored).
public struct TokenRecord: Sendable, Equatable, Codable {
    public var name: String
    public var role: TokenRole
    /// Hex SHA-256 of the token.
    public var hash: String
    public var createdAt: Date

    public init(name: String, role: TokenRole, hash: String, createdAt: Date = Date()) {
        self.name = name
        self.role = role
        self.hash = hash
        self.createdAt = createdAt
    }

    /// A new random token (`taas_` and 43 characters of base64url) and its record.
    public static func generate(name: String, role: TokenRole) -> (token: String, record: TokenRecord) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let secret = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        let token = "taas_" + secret
        return (token, TokenRecord(name: name, role: role, hash: hash(of: token)))
    }

    /// The hex SHA-256 of a token.
    public static func hash(of token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Whether `token` is this record's token, compared in constant time (over the hashes, which
    /// have the same length whatever the token).
    public func matches(_ token: String) -> Bool {
        let given = Array(Self.hash(of: token).utf8)
        let stored = Array(hash.utf8)
        guard given.count == stored.count else { return false }
        var difference: UInt8 = 0
        for index in given.indices { difference |= given[index] ^ stored[index] }
        return difference == 0
    }
}
