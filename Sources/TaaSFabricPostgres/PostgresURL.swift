import Foundation
import PostgresNIO
import TaaSFabric

/// A `postgresql://` URL read into postgres-nio's client configuration, in libpq's form:
/// `postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|prefer|require]`, or a unix socket
/// folder as `postgresql://USER@/DB?host=/run/postgresql[&port=5432]` (the socket is
/// `FOLDER/.s.PGSQL.PORT`).
public struct PostgresURL: Sendable, CustomStringConvertible {
    public var configuration: PostgresClient.Configuration
    /// The URL without its password, for messages.
    public var description: String

    /// - Throws: ``FabricError`` with code `configuration` naming what is wrong with `text`.
    public init(_ text: String) throws(FabricError) {
        func refuse(_ why: String) -> FabricError {
            FabricError(
                .configuration,
                "--database: \(why). Expected postgresql://USER[:PASSWORD]@HOST[:PORT]/DB or postgresql://USER@/DB?host=/SOCKET/FOLDER."
            )
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgresql" || scheme == "postgres"
        else { throw refuse("\"\(Self.withoutPassword(text))\" is not a postgresql:// URL") }
        guard let user = components.user?.removingPercentEncoding, !user.isEmpty else {
            throw refuse("the URL names no user")
        }
        let database = String(components.path.drop { $0 == "/" }).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw refuse("the URL names no database (…/DB)") }
        let password = components.password?.removingPercentEncoding
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        let port = components.port ?? query["port"].flatMap(Int.init) ?? 5432
        if let socketFolder = query["host"], socketFolder.hasPrefix("/") {
            configuration = PostgresClient.Configuration(
                unixSocketPath: socketFolder + "/.s.PGSQL.\(port)",
                username: user,
                password: password,
                database: database
            )
        } else {
            guard let host = components.host, !host.isEmpty else {
                throw refuse("the URL names no host (and no ?host=/SOCKET/FOLDER)")
            }
            let tls: PostgresClient.Configuration.TLS
            switch query["sslmode"] ?? "prefer" {
            case "disable": tls = .disable
            case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
            case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
            case let other: throw refuse("sslmode \"\(other)\" is not one of disable, prefer, require")
            }
            configuration = PostgresClient.Configuration(
                host: host,
                port: port,
                username: user,
                password: password,
                database: database,
                tls: tls
            )
        }
        description = Self.withoutPassword(text)
    }

    /// `text` with the password of its user part replaced by `***`.
    static func withoutPassword(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}
