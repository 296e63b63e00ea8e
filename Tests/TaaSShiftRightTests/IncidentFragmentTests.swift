import Foundation
import TaaSCore
import TaaSShiftRight
import TaaSTesting
import Testing

@Suite struct IncidentFragmentTests {
    static let har = """
        {"log": {"version": "1.2", "creator": {"name": "test"}, "entries": [
          {"startedDateTime": "2026-12-01T07:00:00.000Z",
           "request": {"method": "POST", "url": "http://shop.example/orders?token=abcd1234",
                       "headers": [{"name": "Content-Type", "value": "application/json"},
                                   {"name": "Authorization", "value": "Bearer s3cr3t-token"}],
                       "postData": {"mimeType": "application/json", "text": "{\\"item\\": \\"tea\\", \\"quantity\\": 2}"}},
           "response": {"status": 502, "headers": []}},
          {"startedDateTime": "2026-12-01T07:00:01.000Z",
           "request": {"method": "GET", "url": "http://shop.example/reports/3", "headers": []},
           "response": {"status": 0, "headers": []}},
          {"startedDateTime": "2026-12-01T07:00:02.000Z",
           "request": {"method": "GET", "url": "http://shop.example/reports/4", "headers": []},
           "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}],
                        "content": {"mimeType": "application/json", "text": "{\\"id\\": \\"4\\", \\"rows\\": []}"}}}
        ]}}
        """

    static let accessLog = """
        127.0.0.1 - - [01/Dec/2026:07:03:21 +0000] "GET /reports/17 HTTP/1.1" 500 152 "-" "curl/7.88.1"
        127.0.0.1 - - [01/Dec/2026:07:03:22 +0000] "GET /reports/42 HTTP/1.1" 500 152 "-" "curl/7.88.1"
        127.0.0.1 - - [01/Dec/2026:07:03:23 +0000] "GET /orders/1 HTTP/1.1" 200 90 "-" "curl/7.88.1"
        """

    /// The fragment's scenarios in a minimal scope.
    static func scope(of fragment: JSONValue) -> JSONValue {
        .object([
            JSONMember(key: "scope_id", value: .string("incidents")),
            JSONMember(key: "scenarios", value: fragment["scenarios"] ?? .array([])),
        ])
    }

    @Test func theFragmentsScenariosAreValidContractScenarios() throws {
        let folder = try TestFolder("fragment")
        defer { folder.remove() }
        let fragment = try IncidentFragment.make(
            files: [try folder.write("traffic.har", Self.har), try folder.write("access.log", Self.accessLog)]
        )
        #expect(fragment.incidents.count == 3)
        #expect(fragment.inputs.map(\.format) == [.har, .accessLog])
        let json = fragment.json
        #expect(json["fragment"] == .string("taas-incidents/1"))
        let scopeData = CanonicalJSON.data(Self.scope(of: json))
        let (scope, warnings) = try TestScope.parse(scopeData)
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(scope.scenarios.map(\.id) == fragment.incidents.map(\.id))
        #expect(scope.scenarios.allSatisfy { $0.type == "regression" })
        guard case .http(let checks) = scope.scenarios[0].action else {
            Issue.record("not an http scenario")
            return
        }
        #expect(checks[0].method == "POST")
        #expect(checks[0].path == "/orders?token=***")
        guard case .json(let body) = checks[0].body else {
            Issue.record("no JSON body: \(String(describing: checks[0].body))")
            return
        }
        #expect(body["item"] == .string("tea"))
        #expect(body["quantity"] == .number(JSONNumber("2")))
        #expect(checks[0].headers.map(\.name) == ["Content-Type"])
        #expect(checks[0].expectation.status == .lessThan(500))
        let text = String(decoding: fragment.data, as: UTF8.self)
        #expect(!text.contains("s3cr3t-token") && !text.contains("abcd1234"))

        // The loaded scope is also what a scope file with these scenarios reads as.
        let file = try folder.write("scope.json", String(decoding: scopeData, as: UTF8.self))
        #expect(try TestScope.load(from: URL(fileURLWithPath: file)).scope.scenarios.count == 3)
        try Self.validateWithJSONSchema(file, in: folder)
    }

    /// Validates a scope file with the published JSON Schema and the `jsonschema` package of the tests'
    /// Python tools, when they are installed.
    static func validateWithJSONSchema(_ file: String, in folder: TestFolder) throws {
        guard let python = TestTools.python else { return }
        let schema = TestTools.repositoryRoot.appendingPathComponent("schema/testscope.schema.json").path
        let script = """
            import json, sys
            try:
                import jsonschema
            except ImportError:
                print("no jsonschema"); sys.exit(0)
            schema = json.load(open(sys.argv[1])); document = json.load(open(sys.argv[2]))
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(document))
            for error in errors: print(list(error.path), error.message)
            print("valid" if not errors else "invalid"); sys.exit(1 if errors else 0)
            """
        let result = try OwnedProcess.run(
            python.path,
            ["-c", script, schema, file],
            log: folder.url.appendingPathComponent("jsonschema.log")
        )
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func aFileWithoutIncidentsGivesAnEmptyFragment() throws {
        let folder = try TestFolder("fragment")
        defer { folder.remove() }
        let file = try folder.write(
            "ok.log",
            #"127.0.0.1 - - [01/Dec/2026:07:03:23 +0000] "GET /orders/1 HTTP/1.1" 200 90 "-" "curl/7.88.1""# + "\n"
        )
        let fragment = try IncidentFragment.make(files: [file])
        #expect(fragment.incidents.isEmpty)
        #expect(fragment.json["scenarios"] == .array([]))
        #expect(fragment.json["incidents"] == .array([]))
    }

    @Test func anUnreadableFileIsAnErrorThatNamesIt() {
        let error = #expect(throws: RecordingError.self) {
            try IncidentFragment.make(files: ["/nonexistent/access.log"])
        }
        #expect(error?.code == .unreadable)
        #expect(error?.file == "/nonexistent/access.log")
    }
}
