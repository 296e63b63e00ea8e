import Foundation
import TaaSCore
import Testing

@Suite struct CanonicalJSONTests {
    private func canonical(_ text: String) throws -> String {
        CanonicalJSON.string(try parseJSON(text))
    }

    @Test func sortsKeysAndDropsWhitespace() throws {
        let text = """
            {
              "b": [ 1 , 2 ],
              "a": { "z": true, "y": null },
              "c": "text"
            }
            """
        #expect(try canonical(text) == #"{"a":{"y":null,"z":true},"b":[1,2],"c":"text"}"#)
    }

    @Test func arraysKeepTheirOrder() throws {
        #expect(try canonical("[3, 1, 2]") == "[3,1,2]")
    }

    @Test func dataIsTheUTF8OfTheString() throws {
        let value = try parseJSON(#"{"é": "😀", "a": [1.5]}"#)
        #expect(CanonicalJSON.data(value) == Data(CanonicalJSON.string(value).utf8))
    }

    @Test(arguments: [
        ("3.0", "3"), ("3", "3"), ("-3.0", "-3"), ("3e0", "3"), ("1e2", "100"), ("1E+2", "100"), ("2.50", "2.5"),
        ("0.1", "0.1"),
        ("-0", "0"), ("-0.0", "0"), ("0.0", "0"), ("1.5", "1.5"), ("12345678901234567890", "12345678901234567168"),
    ])
    func numbersHaveOneForm(text: String, expected: String) throws {
        #expect(try canonical(text) == expected)
        #expect(try canonical("[\(text)]") == "[\(expected)]")
    }

    @Test func equalIntegersWrittenDifferentlyAreEqual() throws {
        #expect(try canonical("[3, 3.0, 3e0, 0.3e1, 300e-2]") == "[3,3,3,3,3]")
    }

    @Test
    func largeIntegersHaveOneFormWhateverTheirSpelling() throws {
        #expect(try canonical("1e16") == canonical("10000000000000000"))
        #expect(try canonical("1000000000000000.0") == canonical("1000000000000000"))
    }

    @Test func numbersBeyondTheRangeOfADoubleAreRejectedBeforeTheyReachTheCanonicalForm() {
        for text in [#"{"x": 1e400}"#, #"{"y": -1e400}"#] {
            #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Data(text.utf8)) }
        }
    }

    @Test func canonicalTextReparsesToTheSameCanonicalText() throws {
        let text = #"{"z": [1.5, -2e-3, "a\"b\\c\n\u0001\u007f", {"é": false}], "a": null, "m": 1e21, "k": 0.000001}"#
        let once = try canonical(text)
        #expect(try canonical(once) == once)
    }

    @Test(arguments: [
        ("\"a\\\"b\"", #""a\"b""#),
        ("\"a\\\\b\"", #""a\\b""#),
        ("\"a\\/b\"", #""a/b""#),
        ("\"\\b\\f\\n\\r\\t\"", #""\b\f\n\r\t""#),
        ("\"\\u0001\\u001f\"", #""\u0001\u001f""#),
        ("\"\\u0000\"", #""\u0000""#),
        ("\"\\u00e9\\ud83d\\ude00\"", "\"é😀\""),
        ("\"\\u007f\"", "\"\u{7F}\""),
        ("\"\\u2028\"", "\"\u{2028}\""),
    ])
    func stringsUseMinimalEscapes(json: String, expected: String) throws {
        #expect(try canonical(json) == expected)
    }

    @Test func keysAreSortedByUTF16CodeUnits() throws {
        // U+E000 sorts after U+1F600 by scalar value but before it by UTF-16 (0xD83D < 0xE000): RFC 8785 uses UTF-16.
        let value = JSONValue.object([
            JSONMember(key: "\u{E000}", value: .number(JSONNumber("1"))),
            JSONMember(key: "😀", value: .number(JSONNumber("2"))),
            JSONMember(key: "B", value: .number(JSONNumber("3"))),
            JSONMember(key: "a", value: .number(JSONNumber("4"))),
            JSONMember(key: "", value: .number(JSONNumber("5"))),
        ])
        #expect(CanonicalJSON.string(value) == "{\"\":5,\"B\":3,\"a\":4,\"😀\":2,\"\u{E000}\":1}")
    }

    @Test func theLastOfDuplicateKeysWins() throws {
        #expect(try canonical(#"{"a": 1, "b": 2, "a": 3}"#) == #"{"a":3,"b":2}"#)
    }

    @Test func scalarsAndEmptyContainers() {
        #expect(CanonicalJSON.string(.null) == "null")
        #expect(CanonicalJSON.string(.bool(true)) == "true")
        #expect(CanonicalJSON.string(.bool(false)) == "false")
        #expect(CanonicalJSON.string(.array([])) == "[]")
        #expect(CanonicalJSON.string(.object([])) == "{}")
        #expect(CanonicalJSON.string(.string("")) == #""""#)
    }
}
