import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Checks `Authorization: Bearer …` on every route but `/v1/health` and sets the caller's role. A
/// server with no token is open (it then only listens on loopback); with tokens, a missing or unknown
/// token is 401. The token is compared with every stored hash in constant time and never logged.
struct TokenAuthenticator: RouterMiddleware {
    typealias Context = FabricContext
    let store: any RunStore

    func handle(
        _ request: Request,
        context: FabricContext,
        next: (Request, FabricContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let path = request.uri.path
        if path == "/v1/health" { return try await next(request, context) }
        let tokens = try await store.tokens()
        if tokens.isEmpty {
            context.role = .admin
            return try await next(request, context)
        }
        let presented = Self.bearer(in: request)
        // Every record is compared, whether an earlier one matched or not.
        var matched: TokenRecord?
        if let presented {
            for record in tokens where record.matches(presented) { matched = record }
        }
        guard let matched else {
            if path == "/" || path.hasPrefix("/ui") {
                context.role = nil
                return try await next(request, context)
            }
            throw APIError(
                .unauthorized,
                presented == nil
                    ? "this server needs a token: send Authorization: Bearer <token> (taas token create)"
                    : "the token is not known to this server (revoked, or for another server)"
            )
        }
        context.role = matched.role
        return try await next(request, context)
    }

    /// The bearer token of the `Authorization` header, or of the `taas_token` cookie (the dashboard).
    static func bearer(in request: Request) -> String? {
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        return request.cookies["taas_token"]?.value
    }
}
