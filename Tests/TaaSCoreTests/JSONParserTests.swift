import Foundation
import TaaSCore
import Testing

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try JSONParser.parse(Data(text.utf8)).value
    }

    private func syntaxError(_ text: String) -> JSONSyntaxError? {
        syntaxError(Data(text.utf8))
    }

    private func syntaxError(_ data: Data, limits: JSONParser.Limits = JSONParser.Limits()) -> JSONSyntaxError? {
        do {
            _ = try JSONParser.parse(data, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Values

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(
            #"{"n": null, "t": true, "f": false, "i": -12, "s": "x", "a": [1, [], {}], "o": {"k": "v"}}"#
        )
        #expect(value["n"] == .null)
        #expect(value["t"] == .bool(true))
        #expect(value["f"] == .bool(false))
        #expect(value["i"] == .number(JSONNumber("-12")))
        #expect(value["s"] == .string("x"))
        #expect(value["a"] == .array([.number(JSONNumber("1")), .array([]), .object([])]))
        #expect(value["o"]?["k"] == .string("v"))
        #expect(value["missing"] == nil)
        #expect(JSONValue.string("x")["k"] == nil)
    }

    @Test func objectsKeepMemberOrderAndLocations() throws {
        let value = try parse("{\"b\": 1,\n  \"a\": 2, \"c\": 3}")
        guard case .object(let members) = value else {
            Issue.record("expected an object")
            return
        }
        #expect(members.map(\.key) == ["b", "a", "c"])
        #expect(
            members.map(\.location) == [
                TaaSCore.SourceLocation(line: 1, column: 2), TaaSCore.SourceLocation(line: 2, column: 3),
                TaaSCore.SourceLocation(line: 2, column: 11),
            ]
        )
    }

    @Test(arguments: ["null", "true", "false", "0", "\"\"", "[]", "{}", " \n\t\r {} \n"])
    func scalarsAndEmptyContainersAreDocuments(text: String) throws {
        _ = try parse(text)
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let value = try JSONParser.parse(Data([0xEF, 0xBB, 0xBF]) + Data(#"{"a": 1}"#.utf8)).value
        #expect(value["a"] == .number(JSONNumber("1")))
        let error = syntaxError(Data([0xEF, 0xBB, 0xBF]) + Data("x".utf8))
        #expect(error?.location == TaaSCore.SourceLocation(line: 1, column: 1))
    }

    @Test func kindDescriptions() {
        #expect(JSONValue.null.kindDescription == "null")
        #expect(JSONValue.bool(true).kindDescription == "a boolean")
        #expect(JSONValue.number(JSONNumber("1")).kindDescription == "a number")
        #expect(JSONValue.string("").kindDescription == "a string")
        #expect(JSONValue.array([]).kindDescription == "an array")
        #expect(JSONValue.object([]).kindDescription == "an object")
    }

    // MARK: - Strings and escapes

    @Test(arguments: [
        (#""\u00e9""#, "é"),
        (#""\u00E9""#, "é"),
        (#""caf\u00e9!""#, "café!"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\uD83D\uDE00x""#, "😀x"),
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{08}\u{0C}\n\r\t"),
        (#""\u0000""#, "\u{0}"),
        (#""\u001f""#, "\u{1F}"),
        ("\"é😀 literal\"", "é😀 literal"),
        (#""a\nb\u0041""#, "a\nbA"),
        (#""""#, ""),
    ])
    func stringEscapes(json: String, expected: String) throws {
        #expect(try parse(json) == .string(expected))
    }

    @Test(arguments: [
        (#""\ud83d""#, "is not followed by a low one"),
        (#""\ud83dx""#, "is not followed by a low one"),
        (#""\ud83d\u0041""#, "invalid UTF-16 surrogate pair"),
        (#""\ude00""#, "a lone UTF-16 surrogate"),
        (#""\u12""#, "a \\u escape needs four hexadecimal digits"),
        (#""\u12g4""#, "a \\u escape needs four hexadecimal digits"),
        (#""\x""#, "invalid escape '\\'x'' in a string"),
        (#""\'""#, "invalid escape"),
        (#""abc"#, "unexpected end of the document inside a string"),
        (#""abc\"#, "unexpected end of the document inside a string"),
        ("\"a\nb\"", "a string is not closed before the end of the line"),
        ("\"a\tb\"", "control character 0x09 in a string (escape it)"),
        ("\"a\u{1}b\"", "control character 0x01 in a string"),
    ])
    func invalidStrings(json: String, fragment: String) throws {
        let error = try #require(syntaxError(json))
        #expect(error.message.contains(fragment), "\(error)")
    }

    @Test(
        arguments: [#""\u+0e9""#, #""\u-000""#, #""\u+00A""#])
    func unicodeEscapesNeedExactlyFourHexDigits(json: String) throws {
        let error = try #require(syntaxError(json), "\(json) should be rejected")
        #expect(error.message.contains("four hexadecimal digits"))
    }

    @Test func invalidUTF8InAStringIsRejected() throws {
        for bytes: [UInt8] in [
            [0xC3, 0x28], [0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF],
        ] {
            let error = try #require(syntaxError(Data([0x22]) + Data(bytes) + Data([0x22])), "\(bytes)")
            #expect(error.message == "invalid UTF-8 in a string")
        }
    }

    @Test func invalidUTF8BeforeAnEscapeIsRejected() throws {
        let error = try #require(syntaxError(Data([0x22, 0xC3]) + Data(#"\n""#.utf8)))
        #expect(error.message == "invalid UTF-8 in a string")
    }

    // MARK: - Numbers

    @Test(arguments: [
        "0", "-0", "7", "-12", "1.5", "0.25", "1e3", "1E3", "1e+3", "1e-3", "-1.25E-2",
        "123456789012345678901234567890",
    ])
    func validNumbersKeepTheirText(text: String) throws {
        #expect(try parse(text) == .number(JSONNumber(text)))
        #expect(try parse("[\(text)]") == .array([.number(JSONNumber(text))]))
    }

    @Test(arguments: [
        ("01", "a number may not start with a leading zero"),
        ("-01", "a number may not start with a leading zero"),
        ("00", "a number may not start with a leading zero"),
        ("[007]", "a number may not start with a leading zero"),
        ("-", "a number needs digits after '-'"),
        ("-a", "a number needs digits after '-'"),
        ("1.", "a number needs digits after the decimal point"),
        ("1.e3", "a number needs digits after the decimal point"),
        ("1e", "a number needs digits in its exponent"),
        ("1e+", "a number needs digits in its exponent"),
        (".5", "unexpected '.': expected a value"),
        ("+1", "unexpected '+': expected a value"),
        ("NaN", "unexpected 'N': expected a value"),
        ("Infinity", "unexpected 'I': expected a value"),
        ("0x10", "unexpected 'x' after the end of the document"),
        ("1 2", "unexpected '2' after the end of the document"),
    ])
    func invalidNumbers(text: String, fragment: String) throws {
        let error = try #require(syntaxError(text), "\(text) should be rejected")
        #expect(error.message.contains(fragment), "\(error)")
    }

    @Test func leadingZeroErrorPointsAtTheNumber() throws {
        let error = try #require(syntaxError(#"{"a": 01}"#))
        #expect(error.location == TaaSCore.SourceLocation(line: 1, column: 7))
    }

    @Test(arguments: [
        ("3", 3 as Int?), ("-3", -3), ("3.0", 3), ("3e0", 3), ("300e-2", 3), ("1.5", nil), ("1e400", nil), ("-0", 0),
        ("9007199254740993", 9_007_199_254_740_993),
    ])
    func jsonNumberIntegerValue(text: String, expected: Int?) {
        #expect(JSONNumber(text).integer == expected)
    }

    @Test func jsonNumberDoubleValue() {
        #expect(JSONNumber("1.25e2").double == 125)
        #expect(JSONNumber("-0.5").double == -0.5)
        #expect(JSONNumber("1e400").double == .infinity)
        #expect(JSONNumber("not a number").double.isNaN)
    }

    // MARK: - Literals and structure

    @Test(arguments: [
        ("tru", "did you mean true?"), ("fals", "did you mean false?"), ("nul", "did you mean null?"),
        ("True", "unexpected 'T': expected a value"), ("[1,]", "unexpected ']': expected a value"),
        ("{\"a\" 1}", "expected ':' after the member name \"a\""),
        ("{\"a\": 1,}", "expected a member name in double quotes"),
        ("{a: 1}", "expected a member name in double quotes"), ("[1 2]", "expected ',' or ']'"),
        ("{\"a\": 1 \"b\": 2}", "expected ',' or '}'"),
        ("[", "unexpected end of the document: expected a value"),
        ("[1", "unexpected end of the document: expected ',' or ']'"),
        ("{", "expected a member name in double quotes"),
        ("{\"a\":", "unexpected end of the document: expected a value"),
        ("", "unexpected end of the document: expected a value"), ("{} {}", "after the end of the document"),
        ("\u{0}", "unexpected NUL byte"),
    ])
    func structuralErrors(text: String, fragment: String) throws {
        let error = try #require(syntaxError(text), "\(text) should be rejected")
        #expect(error.message.contains(fragment), "\(error)")
    }

    // MARK: - Locations

    @Test(arguments: [
        ("{\n  \"a\": tru\n}", 2, 8),
        ("[1,\n2,\n]", 3, 1),
        ("{\"é\": x}", 1, 7),
        ("{\"😀😀\": x}", 1, 8),
        ("{\r\n\"a\": x}", 2, 6),
        ("\n\n\n   ?", 4, 4),
        ("{\"a\": 1} x", 1, 10),
        ("{\"a\": \"abc\n\"}", 1, 11),
        ("[\n\t1,\n\t2\n\t3]", 4, 2),
    ])
    func errorLocationsAreLineAndCharacterColumn(text: String, line: Int, column: Int) throws {
        let error = try #require(syntaxError(text))
        #expect(error.location == TaaSCore.SourceLocation(line: line, column: column), "\(error)")
    }

    @Test func errorDescriptionStartsWithTheLocation() throws {
        let error = try #require(syntaxError("{\n  \"scope_id\": \"s\"\n  \"scenarios\": []\n}"))
        #expect(error.description == "line 3, column 3: unexpected '\"': expected ',' or '}'")
        #expect(TaaSCore.SourceLocation.unknown == TaaSCore.SourceLocation(line: 0, column: 0))
    }

    // MARK: - Duplicate keys

    @Test func duplicateKeysAreReportedWithTheirObjectPathAndLocation() throws {
        let parsed = try JSONParser.parse(
            Data("{\"a\": 1, \"o\": {\"k\": 1,\n \"k\": 2}, \"l\": [{\"x\": 0, \"x\": 1}], \"a\": 3}".utf8)
        )
        let found = parsed.duplicateKeys.map { "\($0.path)|\($0.key)|\($0.location)" }
        #expect(found == ["o|k|line 2, column 2", "l[0]|x|line 2, column 26", "$|a|line 2, column 36"])
        // Both members are kept; lookups see the last one.
        #expect(parsed.value["a"] == .number(JSONNumber("3")))
        #expect(parsed.value.keys == ["a", "o", "l", "a"])
    }

    @Test func noDuplicateKeysInACleanDocument() throws {
        #expect(
            try JSONParser.parse(Data(#"{"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]}"#.utf8)).duplicateKeys.isEmpty
        )
    }

    // MARK: - Limits

    @Test func defaultLimits() {
        let limits = JSONParser.Limits()
        #expect(limits.maximumDepth == 64)
        #expect(limits.maximumBytes == 16 * 1024 * 1024)
    }

    @Test func depthLimitIsInclusive() throws {
        let atLimit = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try parse(atLimit)
        let overLimit = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let error = try #require(syntaxError(overLimit))
        #expect(error.message == "arrays and objects are nested more than 64 levels deep")
        #expect(error.location == TaaSCore.SourceLocation(line: 1, column: 65))
    }

    @Test func siblingContainersDoNotAddUpDepth() throws {
        let wide =
            "["
            + Array(repeating: String(repeating: "[", count: 60) + String(repeating: "]", count: 60), count: 50).joined(
                separator: ","
            ) + "]"
        _ = try parse(wide)
    }

    @Test func deepNestingFarBeyondTheLimitFailsCleanly() throws {
        let hostile = String(repeating: "[", count: 100_000)
        let error = try #require(syntaxError(hostile))
        #expect(error.message.contains("nested more than 64 levels deep"))
    }

    @Test func sizeLimit() throws {
        var limits = JSONParser.Limits()
        limits.maximumBytes = 10
        #expect(syntaxError(Data("[1,2,3,4 ]".utf8), limits: limits) == nil)
        let error = try #require(syntaxError(Data("[1,2,3,4,5]".utf8), limits: limits))
        #expect(error.message == "the document is 11 bytes; at most 10 are accepted")
        #expect(error.location == TaaSCore.SourceLocation(line: 1, column: 1))
    }
}
