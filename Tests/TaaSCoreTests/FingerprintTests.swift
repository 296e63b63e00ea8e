import Foundation
import TaaSCore
import Testing

@Suite struct FingerprintTests {
    private func fingerprint(_ text: String) throws -> String { ScopeFingerprint.of(try parseJSON(text)) }

    @Test func formatIsSHA256PrefixAnd64LowercaseHexDigits() throws {
        let value = try fingerprint(Doc.scope())
        #expect(value.hasPrefix("sha256:"))
        let hex = value.dropFirst("sha256:".count)
        #expect(hex.count == 64)
        #expect(hex.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) })
    }

    @Test func knownAnswers() throws {
        // sha256 of the canonical text "{}" and {"a":1}.
        #expect(try fingerprint("{ }") == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
        #expect(
            try fingerprint("{\n  \"a\" : 1.0\n}")
                == "sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862"
        )
    }

    @Test func keyOrderAndWhitespaceDoNotMatter() throws {
        let compact =
            #"{"scope_id":"s","scenarios":[{"id":"A","command":"x","retry_policy":{"attempts":3,"backoff":"linear"}}]}"#
        let reordered = """
            {
                "scenarios": [
                    { "retry_policy": { "backoff": "linear", "attempts": 3.0 },
                      "command": "x", "id": "A" }
                ],
                "scope_id": "s"
            }
            """
        #expect(try fingerprint(compact) == fingerprint(reordered))
    }

    @Test(arguments: [
        #"{"scope_id":"t","scenarios":[{"id":"A","command":"x"}]}"#,
        #"{"scope_id":"s","scenarios":[{"id":"B","command":"x"}]}"#,
        #"{"scope_id":"s","scenarios":[{"id":"A","command":"x "}]}"#,
        #"{"scope_id":"s","scenarios":[{"id":"A","command":"x","timeout_seconds":1}]}"#,
        #"{"scope_id":"s","scenarios":[{"id":"A","command":"x"},{"id":"B","command":"x"}]}"#,
        #"{"scope_id":"s","scenarios":[{"id":"A","command":"x"}],"description":"d"}"#,
    ])
    func anyValueChangeChangesTheFingerprint(changed: String) throws {
        let base = #"{"scope_id":"s","scenarios":[{"id":"A","command":"x"}]}"#
        #expect(try fingerprint(base) != fingerprint(changed))
    }

    @Test func arrayOrderMatters() throws {
        #expect(try fingerprint("[1, 2]") != fingerprint("[2, 1]"))
    }

    @Test func scopeReaderSetsTheFingerprintOfTheDocument() throws {
        let a = try #require(readScope(Doc.scope()).scope)
        let b = try #require(readScope("\n" + Doc.scope().replacingOccurrences(of: ", ", with: ",\n   ")).scope)
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint == (try fingerprint(Doc.scope())))
        let c = try #require(readScope(Doc.scope(#""description": "other""#)).scope)
        #expect(a.fingerprint != c.fingerprint)
    }

    @Test func seedExampleReformattedHasTheSameFingerprint() throws {
        let original = try #require(ScopeReader.read(try Fixtures.data("examples/seed-scope.json")).scope)
        // The schema's example is the same scope, printed differently.
        let schema = try parseJSON(TestScopeSchema.json)
        let example = try #require(schema["examples"]?[0])
        #expect(original.fingerprint == ScopeFingerprint.of(example))
    }
}
