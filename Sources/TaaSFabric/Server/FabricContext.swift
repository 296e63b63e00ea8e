import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The request context of the Fabric's routes: Hummingbird's core storage and the caller's role,
/// set by ``TokenAuthenticator``.
public struct FabricContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's role; `admin` when the server has no tokens (open on loopback).
    public var role: TokenRole?
    /// The largest body a route may collect.
    public var uploadLimit: Int = 64 << 20

    public init(source: Source) {
        coreContext = CoreRequestContextStorage(source: source)
    }

    public var maxUploadSize: Int { uploadLimit }

    /// Throws 403 unless the caller's role includes `role`.
    func require(_ needed: TokenRole) throws(APIError) {
        guard let role else { throw APIError(.unauthorized, "a bearer token is needed (Authorization: Bearer …)") }
        guard role >= needed else {
            throw APIError(.forbidden, "a \(role.rawValue) token cannot do this; it needs a \(needed.rawValue) token")
        }
    }
}
