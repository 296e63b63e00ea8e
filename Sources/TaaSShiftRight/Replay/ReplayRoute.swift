import Foundation

/// A request's route: its method and path templated by ``RouteTemplate`` (ids written `{id}`, no
/// query), the same routes as `taas incidents` groups by. `GET /orders/17?x=1` and `GET /orders/18`
/// are both `GET /orders/{id}`: automatic noise is kept per route.
public struct ReplayRoute: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var method: String
    /// The templated path, such as `/orders/{id}`.
    public var template: String

    /// The route of a request of `method` to `path` (a path and query, or an absolute URL).
    public init(method: String, path: String) {
        self.method = method.uppercased()
        template = RouteTemplate.route(of: path)
    }

    /// `GET /orders/{id}`.
    public var description: String { "\(method) \(template)" }

    public static func < (lhs: ReplayRoute, rhs: ReplayRoute) -> Bool {
        (lhs.template, lhs.method) < (rhs.template, rhs.method)
    }
}
