/// The `http://` loopback URL that generated scenarios send their requests to (`--base-url`): the
/// contract's HTTP checks reach only the sandbox's own loopback.
public struct LoopbackBaseURL: Sendable, Equatable, CustomStringConvertible {
    /// `127.0.0.1`, `localhost` or `[::1]` as written in URLs.
    public var host: String
    public var port: Int

    /// `http://127.0.0.1:8080`.
    public static let standard = LoopbackBaseURL(host: "127.0.0.1", port: 8080)

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `http://HOST[:PORT][/]`.
    /// - Throws: ``IncidentError`` with code `baseURL` for another scheme, a host that is not loopback,
    ///   a bad port or a path.
    public init(_ text: String) throws(IncidentError) {
        let remedy =
            "expected http://127.0.0.1:PORT, http://localhost:PORT or http://[::1]:PORT (the contract's HTTP "
            + "checks reach only the sandbox's loopback)"
        guard text.lowercased().hasPrefix("http://") else {
            throw IncidentError(.baseURL, "--base-url \(text): \(remedy)")
        }
        var authority = Substring(text.dropFirst("http://".count))
        if authority.hasSuffix("/") { authority = authority.dropLast() }
        guard !authority.contains("/"), !authority.contains("?"), !authority.contains("#") else {
            throw IncidentError(.baseURL, "--base-url \(text): a base URL has no path; \(remedy)")
        }
        var host = String(authority)
        var port = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw IncidentError(.baseURL, "--base-url \(text): \(remedy)")
            }
            host = String(authority[...close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()) else {
                    throw IncidentError(.baseURL, "--base-url \(text): expected a port number after the host")
                }
                port = number
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let number = Int(authority[authority.index(after: colon)...]) else {
                throw IncidentError(.baseURL, "--base-url \(text): expected a port number after the host")
            }
            port = number
        }
        host = host.lowercased()
        guard ["127.0.0.1", "localhost", "[::1]"].contains(host) else {
            throw IncidentError(.baseURL, "--base-url \(text): the host \(host) is not loopback; \(remedy)")
        }
        guard (1...65535).contains(port) else {
            throw IncidentError(.baseURL, "--base-url \(text): expected a port from 1 to 65535, found \(port)")
        }
        self.init(host: host, port: port)
    }

    /// `http://127.0.0.1:8080`.
    public var description: String { "http://\(host):\(port)" }
}
