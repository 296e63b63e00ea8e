import Foundation
import TaaSCore
import Testing

@Suite struct SchemaTests {
    private func schema() throws -> JSONValue { try parseJSON(TestScopeSchema.json) }

    /// The field names the reader knows in an object, taken from its "known fields" hint for a far-off unknown field.
    private func knownFields(_ document: String, at path: String) throws -> [String] {
        let result = readScope(document)
        let warning = try #require(result.issues(at: path).first, "\(result.issues)")
        let hint = try #require(warning.hint)
        #expect(hint.hasPrefix("known fields: "))
        return hint.dropFirst("known fields: ".count).components(separatedBy: ", ")
    }

    private func propertyNames(_ object: JSONValue?) throws -> [String] {
        try #require(object?["properties"]?.keys)
    }

    @Test func embeddedSchemaEqualsThePublishedFileByteForByte() throws {
        let file = try Fixtures.data("schema/testscope.schema.json")
        #expect(Data((TestScopeSchema.json + "\n").utf8) == file)
    }

    @Test func schemaIsStrictJSONWithoutDuplicateKeys() throws {
        let parsed = try JSONParser.parse(Data(TestScopeSchema.json.utf8))
        #expect(parsed.duplicateKeys.isEmpty)
        #expect(parsed.value["$schema"] == .string("https://json-schema.org/draft/2020-12/schema"))
        #expect(parsed.value["type"] == .string("object"))
        #expect(parsed.value["title"]?.stringValue?.contains("TestScope 2.0") == true)
    }

    @Test func schemaMentionsEveryTopLevelField() throws {
        let names = try propertyNames(schema())
        for field in ["scope_id", "description", "environment", "lifecycle", "services", "scenarios"] {
            #expect(names.contains(field), "schema lacks \(field)")
            #expect(TestScopeSchema.json.contains("\"\(field)\""))
        }
        #expect(try schema()["required"] == .array([.string("scope_id"), .string("scenarios")]))
        #expect(try schema()["additionalProperties"] == .bool(false))
    }

    @Test func topLevelFieldsMatchTheReader() throws {
        let known = try knownFields(Doc.scope(#""zzzzzzzzzzzz": 1"#), at: "zzzzzzzzzzzz")
        #expect(Set(known) == Set(try propertyNames(schema())))
    }

    @Test
    func schemaAllowsTheSchemaMemberTheReaderAccepts() throws {
        #expect(
            readScope(Doc.scope(#""$schema": "https://maestro-taas.dev/schema/testscope-2.0.json""#)).issues.isEmpty
        )
        #expect(try propertyNames(schema()).contains("$schema"))
    }

    @Test func nestedFieldsMatchTheReader() throws {
        let defs = try #require(try schema()["$defs"])
        let cases: [(document: String, path: String, schema: JSONValue?)] = [
            (
                Doc.scope(#""environment": {"zzzzzzzzzzzz": 1}"#), "environment.zzzzzzzzzzzz",
                try schema()["properties"]?["environment"]
            ),
            (
                Doc.scope(#""lifecycle": {"zzzzzzzzzzzz": 1}"#), "lifecycle.zzzzzzzzzzzz",
                try schema()["properties"]?["lifecycle"]
            ),
            (
                Doc.service(#""name": "a", "command": "b", "zzzzzzzzzzzz": 1"#), "services[0].zzzzzzzzzzzz",
                defs["service"]
            ),
            (
                Doc.ready(#""tcp": 1, "zzzzzzzzzzzz": 1"#), "services[0].ready.zzzzzzzzzzzz",
                defs["service"]?["properties"]?["ready"]
            ),
            (Doc.scenario(#""command": "x", "zzzzzzzzzzzz": 1"#), "scenarios[0].zzzzzzzzzzzz", defs["scenario"]),
            (
                Doc.execution(#""runner": "pytest", "target": "t", "zzzzzzzzzzzz": 1"#),
                "scenarios[0].execution.zzzzzzzzzzzz",
                defs["scenario"]?["properties"]?["execution"]
            ),
            (
                Doc.scenario(#""command": "x", "retry_policy": {"zzzzzzzzzzzz": 1}"#),
                "scenarios[0].retry_policy.zzzzzzzzzzzz",
                defs["scenario"]?["properties"]?["retry_policy"]
            ),
            (
                Doc.scope(#""lifecycle": {"setup": [{"command": "x", "zzzzzzzzzzzz": 1}]}"#),
                "lifecycle.setup[0].zzzzzzzzzzzz",
                defs["step"]?["oneOf"]?[1]
            ),
            (
                Doc.scenario(#""http": {"url": "http://127.0.0.1/", "zzzzzzzzzzzz": 1}"#),
                "scenarios[0].http.zzzzzzzzzzzz",
                defs["http_request"]
            ),
            (
                Doc.scenario(#""http": {"url": "http://127.0.0.1/", "expect": {"zzzzzzzzzzzz": 1}}"#),
                "scenarios[0].http.expect.zzzzzzzzzzzz", defs["http_request"]?["properties"]?["expect"]
            ),
        ]
        for (document, path, object) in cases {
            #expect(Set(try knownFields(document, at: path)) == Set(try propertyNames(object)), "\(path)")
        }
    }

    @Test func enumerationsMatchTheModel() throws {
        let schema = try schema()
        let kinds = schema["properties"]?["environment"]?["properties"]?["type"]?["enum"]?.arrayValue?.compactMap(
            \.stringValue
        )
        #expect(kinds == Environment.Kind.allCases.map(\.rawValue))
        let scenario = schema["$defs"]?["scenario"]?["properties"]
        let backoffs = scenario?["retry_policy"]?["properties"]?["backoff"]?["enum"]?.arrayValue?.compactMap(
            \.stringValue
        )
        #expect(backoffs == RetryPolicy.Backoff.allCases.map(\.rawValue))
        let runners = scenario?["execution"]?["properties"]?["runner"]?["enum"]?.arrayValue?.compactMap(\.stringValue)
        #expect(runners == RunnerCatalog.knownNames)
    }

    @Test func documentedDefaultsAndLimitsMatchTheModel() throws {
        let schema = try schema()
        let scenario = schema["$defs"]?["scenario"]?["properties"]
        #expect(scenario?["timeout_seconds"]?["default"]?.intValue == Int(Scenario.defaultTimeout.components.seconds))
        #expect(scenario?["timeout_seconds"]?["maximum"]?.intValue == 86_400)
        let retry = scenario?["retry_policy"]?["properties"]
        #expect(retry?["attempts"]?["default"]?.intValue == RetryPolicy().attempts)
        #expect(retry?["attempts"]?["minimum"]?.intValue == 1)
        #expect(retry?["attempts"]?["maximum"]?.intValue == 100)
        #expect(retry?["backoff"]?["default"]?.stringValue == RetryPolicy().backoff.rawValue)
        #expect(retry?["delay_seconds"]?["default"]?.intValue == Int(RetryPolicy().delay.components.seconds))
        #expect(retry?["delay_seconds"]?["maximum"]?.intValue == 3600)
        let step = schema["$defs"]?["step"]?["oneOf"]?[1]?["properties"]
        #expect(step?["timeout_seconds"]?["default"]?.intValue == Int(LifecycleStep.defaultTimeout.components.seconds))
        let ready = schema["$defs"]?["service"]?["properties"]?["ready"]?["properties"]
        #expect(ready?["timeout_seconds"]?["default"]?.intValue == Int(Readiness.defaultTimeout.components.seconds))
        #expect(ready?["timeout_seconds"]?["maximum"]?.intValue == 3600)
        #expect(ready?["tcp"]?["maximum"]?.intValue == 65535)
        #expect(
            schema["properties"]?["environment"]?["properties"]?["type"]?["default"]?.stringValue
                == Environment().type.rawValue
        )
        #expect(schema["properties"]?["scope_id"]?["maxLength"]?.intValue == 200)
        #expect(schema["properties"]?["scope_id"]?["pattern"]?.stringValue == "^[A-Za-z0-9][A-Za-z0-9._:-]*$")
    }

    @Test func everySchemaExampleIsAValidScope() throws {
        let examples = try #require(try schema()["examples"]?.arrayValue)
        #expect(!examples.isEmpty)
        for example in examples {
            let result = ScopeReader.read(CanonicalJSON.data(example))
            #expect(result.isValid, "\(result.issues)")
            #expect(result.issues.isEmpty)
        }
    }

    @Test func schemaExampleIsTheSeedScope() throws {
        let example = try #require(try schema()["examples"]?[0])
        let seed = try parseJSON(try Fixtures.text("examples/seed-scope.json"))
        #expect(CanonicalJSON.string(example) == CanonicalJSON.string(seed))
    }

    @Test func schemaIsNotItselfAScope() {
        let result = ScopeReader.read(Data(TestScopeSchema.json.utf8))
        #expect(!result.isValid)
        #expect(result.issues(at: "scope_id").contains { $0.severity == .error })
    }
}
