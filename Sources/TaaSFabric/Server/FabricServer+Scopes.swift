import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension FabricServer {
    /// `/v1/scopes` and `/v1/scopes/{scope_id}/cases`.
    func addScopeRoutes(to router: Router<FabricContext>) {
        let store = fabric.store
        router.get("/v1/scopes") { _, context in
            try context.require(.read)
            var rows: [ScopeStatistics.ScopeRow] = []
            for id in try await store.scopeIDs() { rows.append(try await ScopeStatistics.scope(id, store: store)) }
            return Response.json(["scopes": rows])
        }
        router.get("/v1/scopes/:scope_id/cases") { _, context in
            try context.require(.read)
            let id = try context.parameters.require("scope_id")
            return Response.json(["cases": try await ScopeStatistics.caseRows(id, store: store)])
        }
    }
}
