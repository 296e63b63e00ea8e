import Foundation
import TaaSCore
import TaaSShiftRight
import Testing

@Suite struct ScopeMergeTests {
    /// A fragment with two incident scenarios (GET /reports/17 and POST /orders).
    static func fragment(in folder: TestFolder) throws -> (file: String, ids: [String]) {
        let log = """
            127.0.0.1 - - [01/Dec/2026:07:03:21 +0000] "GET /reports/17 HTTP/1.1" 500 152 "-" "curl/7.88.1"
            127.0.0.1 - - [01/Dec/2026:07:03:22 +0000] "POST /orders HTTP/1.1" 502 0 "-" "curl/7.88.1"
            """
        let fragment = try IncidentFragment.make(files: [try folder.write("access.log", log)])
        let file = folder.path("incidents.json")
        try fragment.data.write(to: URL(fileURLWithPath: file))
        return (file, fragment.incidents.map(\.id))
    }

    @Test func scenariosAreAddedAfterTheScopesOwnAndTheScopeKeepsItsMembersAndIndentation() throws {
        let folder = try TestFolder("merge")
        defer { folder.remove() }
        let (fragment, ids) = try Self.fragment(in: folder)
        let scope = try folder.write(
            "scope.json",
            """
            {
                "scope_id": "shop",
                "description": "the shop",
                "scenarios": [
                    {"id": "HEALTH", "http": {"url": "http://127.0.0.1:8080/health"}}
                ],
                "integrity": {"locked": ["tests/*"]}
            }

            """
        )
        let outcome = try ScopeMerge().merge(
            scope: URL(fileURLWithPath: scope),
            fragment: URL(fileURLWithPath: fragment)
        )
        #expect(outcome.added == ids)
        #expect(outcome.skipped.isEmpty)
        #expect(outcome.scope.scenarios.map(\.id) == ["HEALTH"] + ids)
        let text = String(decoding: outcome.text, as: UTF8.self)
        #expect(
            text.hasPrefix("{\n    \"scope_id\": \"shop\",\n    \"description\": \"the shop\",\n    \"scenarios\": ["),
            "\(text)"
        )
        #expect(text.contains("\n    \"integrity\": {"))
    }

    @Test func theSameIdOrTheSameRequestIsSkipped() throws {
        let folder = try TestFolder("merge")
        defer { folder.remove() }
        let (fragment, ids) = try Self.fragment(in: folder)
        let scope = try folder.write(
            "scope.json",
            """
            {"scope_id": "shop", "scenarios": [
              {"id": "\(ids[0])", "command": "true"},
              {"id": "ORDERS-POST", "http": [{"method": "POST", "url": "http://localhost:9999/orders"}]}
            ]}
            """
        )
        let outcome = try ScopeMerge().merge(
            scope: URL(fileURLWithPath: scope),
            fragment: URL(fileURLWithPath: fragment)
        )
        #expect(outcome.added.isEmpty)
        #expect(outcome.skipped.map(\.id) == ids)
        #expect(outcome.skipped[0].reason.contains("already"))
        #expect(outcome.skipped[1].reason == "scenario ORDERS-POST makes the same request")
    }

    @Test func aMergeThatWouldMakeTheScopeInvalidIsRefused() throws {
        let folder = try TestFolder("merge")
        defer { folder.remove() }
        let (fragment, _) = try Self.fragment(in: folder)
        // The scope is already invalid in a way the merge cannot repair: the result is validated.
        let scope = try folder.write(
            "scope.json",
            #"{"scope_id": "shop", "scenarios": [{"id": "BAD", "http": {"url": "http://example.com/"}}]}"#
        )
        let error = #expect(throws: InvalidScopeError.self) {
            try ScopeMerge().merge(scope: URL(fileURLWithPath: scope), fragment: URL(fileURLWithPath: fragment))
        }
        #expect(
            error?.issues.contains { $0.path.description == "scenarios[0].http.url" } == true,
            "\(String(describing: error))"
        )
        let notAFragment = try folder.write("other.json", #"{"scenarios": []}"#)
        #expect(throws: IncidentError.self) {
            try ScopeMerge().merge(scope: URL(fileURLWithPath: scope), fragment: URL(fileURLWithPath: notAFragment))
        }
    }

    @Test func aYAMLScopeWithABlockListOfScenariosGetsTheNewOnesAtItsEnd() throws {
        let folder = try TestFolder("merge")
        defer { folder.remove() }
        let (fragment, ids) = try Self.fragment(in: folder)
        let yaml = """
            # the shop's scope
            scope_id: shop
            scenarios:
              - id: HEALTH
                http:
                  url: http://127.0.0.1:8080/health

            # services come last
            services:
              - name: shop
                command: python3 shop.py 8080
            """
        let scope = try folder.write("scope.yaml", yaml)
        let outcome = try ScopeMerge().merge(
            scope: URL(fileURLWithPath: scope),
            fragment: URL(fileURLWithPath: fragment)
        )
        #expect(outcome.scope.scenarios.map(\.id) == ["HEALTH"] + ids)
        #expect(outcome.scope.services.map(\.name) == ["shop"])
        let text = String(decoding: outcome.text, as: UTF8.self)
        #expect(text.hasPrefix("# the shop's scope\nscope_id: shop\nscenarios:\n  - id: HEALTH\n"))
        #expect(text.contains("      url: http://127.0.0.1:8080/health\n  - {\"id\": \"\(ids[0])\""), "\(text)")

        let flow = try folder.write("flow.yaml", "scope_id: shop\nscenarios: [{id: A, command: 'true'}]\n")
        let error = #expect(throws: IncidentError.self) {
            try ScopeMerge().merge(scope: URL(fileURLWithPath: flow), fragment: URL(fileURLWithPath: fragment))
        }
        #expect(error?.message.contains("block list") == true)
    }
}
