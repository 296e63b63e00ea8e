import Foundation
import TaaSCore

/// Where recorded requests are sent: the host and port of a scope's service, taken from its
/// `ready.http` URL, or `127.0.0.1` and its `ready.tcp` port.
public struct ReplayTarget: Sendable, Equatable, CustomStringConvertible {
    /// The service's name.
    public var service: String
    /// `127.0.0.1`, `localhost` or `::1`.
    public var host: String
    public var port: Int

    /// The target of the service `name` of `scope`.
    /// - Throws: ``ReplayError`` with code `unknownService` when the scope has no such service, or
    ///   `noAddress` when the service has neither `ready.http` nor `ready.tcp`.
    public init(service name: String, of scope: TestScope) throws(ReplayError) {
        guard let service = scope.services.first(where: { $0.name == name }) else {
            let known = scope.services.map(\.name)
            throw ReplayError(
                .unknownService,
                "the scope \(scope.id) has no service \"\(name)\""
                    + (known.isEmpty
                        ? "; add the service under test to its services"
                        : "; --service takes one of: \(known.joined(separator: ", "))")
            )
        }
        self.service = name
        switch service.readiness?.probe {
        case .http(let url)?:
            guard let components = URLComponents(string: url), let host = components.host else {
                throw ReplayError(.noAddress, "the service \(name)'s ready.http \"\(url)\" has no host")
            }
            self.host = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            self.port = components.port ?? 80
        case .tcp(let port)?:
            self.host = "127.0.0.1"
            self.port = port
        default:
            throw ReplayError(
                .noAddress,
                "the service \(name) has no ready.http or ready.tcp, so its address is unknown; give it "
                    + "\"ready\": {\"http\": \"http://127.0.0.1:PORT/health\"} (or {\"tcp\": PORT}) in the scope"
            )
        }
    }

    /// `shop at http://127.0.0.1:8000`.
    public var description: String {
        "\(service) at http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}
