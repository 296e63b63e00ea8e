import Foundation
import TaaSCore
import Testing

@testable import TaaSRunners

/// The Swift side of HTTP checks, with no sandbox: the contract, request bytes, answer parsing,
/// JSONPath and matchers.
@Suite struct HTTPCheckUnitTests {
    private func checks(_ http: String) throws -> [HTTPCheck] {
        let result = ScopeReader.read(Data(#"{"scope_id": "h", "scenarios": [{"id": "H", "http": \#(http)}]}"#.utf8))
        let scope = try #require(result.scope, "\(result.issues)")
        guard case .http(let checks) = scope.scenarios[0].action else { throw CancellationError() }
        return checks
    }

    private func problems(_ http: String) -> [String] {
        let result = ScopeReader.read(Data(#"{"scope_id": "h", "scenarios": [{"id": "H", "http": \#(http)}]}"#.utf8))
        return result.issues.filter { $0.severity == .error }.map { "\($0.path): \($0.message)" }
    }

    // MARK: contract

    @Test func aRequestIsRead() throws {
        let check = try #require(
            try checks(
                #"""
                {"method": "POST", "url": "http://localhost:3000/login?x=1", "headers": {"X-A": "b"}, "json": {"user": "a"},
                 "expect": {"status": 201, "headers": {"Content-Type": {"contains": "json"}}, "json": {"$.token": {"exists": true}},
                            "body_contains": "token", "max_ms": 500}, "capture": {"token": "$.token"}}
                """#
            ).first
        )
        #expect(check.method == "POST" && check.host == "localhost" && check.port == 3000 && check.path == "/login?x=1")
        #expect(check.headers == [HTTPHeader(name: "X-A", value: "b")])
        #expect(check.expectation.status == .equals(.number(JSONNumber("201"))))
        #expect(check.expectation.json.first?.matcher == .exists(true))
        #expect(check.expectation.bodyContains == ["token"])
        #expect(check.expectation.maximumMilliseconds == 500)
        #expect(check.captures.map(\.name) == ["token"])
    }

    @Test func onlyLoopbackHttpURLsAreAllowed() {
        for url in [
            "https://127.0.0.1/", "http://example.com/", "http://10.0.0.1:80/", "http://user@127.0.0.1/",
            "ftp://localhost/",
        ] {
            #expect(problems(#"{"url": "\#(url)"}"#).contains { $0.hasPrefix("scenarios[0].http.url:") }, "\(url)")
        }
        for url in ["http://127.0.0.1:8000", "http://localhost/x", "http://[::1]:9/"] {
            #expect(problems(#"{"url": "\#(url)"}"#).isEmpty, "\(url)")
        }
    }

    @Test func errorsCarryTheirJSONPath() {
        let found = problems(
            #"""
            [{"url": "http://127.0.0.1/", "expect": {"status": 42, "json": {"token": 1}, "headers": {"A": {"matches": "("}}}},
             {"url": "http://127.0.0.1/{{nope}}", "headers": {"Content-Length": "3"}}]
            """#
        )
        #expect(found.contains { $0.hasPrefix("scenarios[0].http[0].expect.status:") })
        #expect(found.contains { $0.hasPrefix("scenarios[0].http[0].expect.json.token:") })
        #expect(found.contains { $0.hasPrefix("scenarios[0].http[0].expect.headers.A.matches:") })
        #expect(found.contains { $0.hasPrefix("scenarios[0].http[1].url:") && $0.contains("{{nope}}") })
        #expect(found.contains { $0.hasPrefix("scenarios[0].http[1].headers.Content-Length:") })
    }

    @Test func aCaptureCanBeUsedByLaterRequestsOnly() {
        #expect(
            problems(#"[{"url": "http://127.0.0.1/", "capture": {"t": "$.t"}}, {"url": "http://127.0.0.1/{{t}}"}]"#)
                .isEmpty
        )
        #expect(!problems(#"[{"url": "http://127.0.0.1/{{t}}", "capture": {"t": "$.t"}}]"#).isEmpty)
    }

    @Test func httpExcludesCommandAndExecution() {
        let result = ScopeReader.read(
            Data(
                #"{"scope_id": "h", "scenarios": [{"id": "H", "command": "true", "http": {"url": "http://127.0.0.1/"}}]}"#
                    .utf8
            )
        )
        #expect(result.issues.contains { $0.severity == .error && $0.message.contains("exactly one of") })
    }

    // MARK: request bytes

    @Test func requestBytesCarryHostLengthAndClose() throws {
        let check = try #require(
            try checks(
                #"{"method": "POST", "url": "http://127.0.0.1:3000/echo/{{id}}", "headers": {"Authorization": "Bearer {{t}}"}, "json": {"n": "{{id}}"}}"#
                    .replacingOccurrences(of: "{{id}}", with: "7").replacingOccurrences(of: "{{t}}", with: "abc")
            ).first
        )
        let text = String(decoding: HTTPRequestEncoder.encode(check, captured: [:]), as: UTF8.self)
        #expect(text.hasPrefix("POST /echo/7 HTTP/1.1\r\nHost: 127.0.0.1:3000\r\n"))
        #expect(text.contains("\r\nAuthorization: Bearer abc\r\n"))
        #expect(text.contains("\r\nContent-Type: application/json\r\n"))
        #expect(text.contains("\r\nContent-Length: 9\r\nConnection: close\r\n\r\n{\"n\":\"7\"}"))
    }

    @Test func placeholdersAreFilled() {
        #expect(HTTPPlaceholders.fill("/a/{{id}}/{{ t }}/{{x}}", with: ["id": "1", "t": "z"]) == "/a/1/z/{{x}}")
        #expect(HTTPPlaceholders.names(in: "{{a}} and {{b_2}} {{not valid}}") == ["a", "b_2"])
    }

    // MARK: answers

    @Test func contentLengthBodyIsRead() throws {
        let response = try HTTPResponse.parse(
            Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhelloEXTRA".utf8)
        )
        #expect(response.status == 200 && response.reason == "OK")
        #expect(response.header("content-type") == "text/plain")
        #expect(response.text == "hello")
    }

    @Test func chunkedBodyIsJoined() throws {
        let raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n"
        #expect(try HTTPResponse.parse(Array(raw.utf8)).text == "hello, world")
    }

    @Test func interimAnswersAreSkippedAndBodyRunsToTheEnd() throws {
        let raw = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 404 Not Found\r\nServer: x\r\n\r\nno such page"
        let response = try HTTPResponse.parse(Array(raw.utf8))
        #expect(response.status == 404 && response.text == "no such page")
    }

    @Test func anAnswerIsCompleteOnlyWhenItsEndIsKnown() {
        func complete(_ text: String, _ method: String = "GET") -> Bool {
            HTTPResponse.isComplete(Array(text.utf8), method: method)
        }
        #expect(complete("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
        #expect(!complete("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok"))
        #expect(!complete("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"))
        #expect(complete("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"))
        #expect(!complete("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n"))
        #expect(!complete("HTTP/1.0 200 OK\r\n\r\nuntil the end"))
        #expect(complete("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", "HEAD"))
        #expect(complete("HTTP/1.1 204 No Content\r\n\r\n"))
    }

    @Test func brokenAnswersSayWhy() {
        #expect(throws: HTTPResponse.ParseError.self) { try HTTPResponse.parse([]) }
        #expect(throws: HTTPResponse.ParseError.self) { try HTTPResponse.parse(Array("SSH-2.0-OpenSSH\r\n\r\n".utf8)) }
        #expect(throws: HTTPResponse.ParseError.self) {
            try HTTPResponse.parse(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8))
        }
    }

    // MARK: JSONPath and matchers

    @Test func jsonQueriesSelectValues() throws {
        let document = try JSONParser.parse(Data(#"{"a": {"b c": [1, {"d": true}]}, "e": null}"#.utf8)).value
        func value(_ text: String) throws -> JSONValue? { try JSONQuery.parse(text).get().value(in: document) }
        #expect(try value("$.a['b c'][1].d") == .bool(true))
        #expect(try value("$.a[\"b c\"][-2]") == .number(JSONNumber("1")))
        #expect(try value("$.e") == .null)
        #expect(try value("$.a.x") == nil)
        #expect(try value("$") == document)
        for bad in ["a.b", "$.", "$[x]", "$['a'", "$a"] {
            #expect(throws: JSONQuery.QueryError.self, "\(bad)") { try JSONQuery.parse(bad).get() }
        }
    }

    @Test func matchersSayExpectedAndActual() {
        let number = { (text: String) in JSONValue.number(JSONNumber(text)) }
        #expect(ValueMatcher.equals(number("1")).failure(for: number("1.0")) == nil)
        #expect(ValueMatcher.equals(.string("a")).failure(for: .string("b")) == "expected \"a\", got \"b\"")
        #expect(ValueMatcher.exists(true).failure(for: nil) == "expected a value, got nothing (absent)")
        #expect(ValueMatcher.exists(false).failure(for: nil) == nil)
        #expect(ValueMatcher.contains(.string("ok")).failure(for: .string("all ok")) == nil)
        #expect(ValueMatcher.contains(number("2")).failure(for: .array([number("1"), number("2")])) == nil)
        #expect(ValueMatcher.matches("^t-[0-9]+$").failure(for: .string("t-12")) == nil)
        #expect(ValueMatcher.matches("^t-[0-9]+$").failure(for: .string("x")) != nil)
        #expect(ValueMatcher.greaterThan(2).failure(for: number("3")) == nil)
        #expect(ValueMatcher.lessThan(2).failure(for: .string("1")) == nil)
        #expect(
            ValueMatcher.all([.atLeast(200), .lessThan(300)]).failure(for: number("404"))
                == "expected a number less than 300, got 404"
        )
    }

    @Test func evaluatorReportsEveryFailedExpectation() throws {
        let check = try #require(
            try checks(
                #"""
                {"url": "http://127.0.0.1/", "expect": {"status": 200, "headers": {"X-Id": "7"}, "json": {"$.ok": true, "$.n": {"gt": 5}},
                 "body_contains": ["zzz"], "max_ms": 10}}
                """#
            ).first
        )
        let response = try HTTPResponse.parse(
            Array("HTTP/1.1 500 Oops\r\nX-Id: 8\r\n\r\n{\"ok\": false, \"n\": 3}".utf8)
        )
        let failures = HTTPCheckEvaluator.failures(of: check, response: response, elapsedMilliseconds: 20)
        #expect(failures.count == 6, "\(failures)")
        #expect(failures.contains("status: expected 200, got 500"))
        #expect(failures.contains("header X-Id: expected \"7\", got \"8\""))
        #expect(failures.contains("json $.ok: expected true, got false"))
        #expect(failures.contains("json $.n: expected a number greater than 5, got 3"))
        #expect(failures.contains("time: expected at most 10 ms, took 20 ms"))
    }
}
