import Foundation
import TaaSCore
import Testing

@testable import TaaSShiftRight

/// The JSON diff under noise rules: paths, globs, masks, unordered arrays.
@Suite struct ReplayDiffTests {
    private func json(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Data(text.utf8)).value
    }

    private func diff(_ recorded: String, _ got: String, rules: NoiseRules = NoiseRules(masks: [])) throws -> [String] {
        try JSONDiff.differences(recorded: json(recorded), got: json(got), rules: rules).map(\.description)
    }

    @Test func aChangedValueIsOneLineWithBothValues() throws {
        #expect(
            try diff(#"{"id": "1", "price": 12.5}"#, #"{"id": "1", "price": 13.0}"#) == [
                "$.price: recorded 12.5, got 13.0"
            ]
        )
        // Numbers compare by value, not by spelling.
        #expect(try diff(#"{"n": 13, "m": 0.5}"#, #"{"n": 13.0, "m": 5e-1}"#).isEmpty)
    }

    @Test func missingAddedAndRetypedMembersAreNamedByPath() throws {
        let lines = try diff(
            #"{"items": [1, 2], "order": {"total": 3, "note": null}, "tags": ["a", "b"]}"#,
            #"{"order": {"total": "3", "note": null, "extra": true}, "tags": ["a"]}"#
        )
        #expect(
            lines == [
                "$.items: missing (recorded [1,2])",
                #"$.order.total: recorded a number 3, got a string "3""#,
                "$.order.extra: not in the recording, got true",
                #"$.tags[1]: missing (recorded "b")"#,
            ]
        )
    }

    @Test func ignoredPathsAndGlobsHideTheirDifferencesAtAnyDepth() throws {
        let rules = NoiseRules(
            ignore: [
                try JSONPathPattern("$.created_at"), try JSONPathPattern("$.items[*].id"),
                try JSONPathPattern("**.request_id"), try JSONPathPattern("$.meta"),
            ],
            masks: []
        )
        let lines = try diff(
            #"{"created_at": "a", "request_id": "r1", "meta": {"v": 1}, "items": [{"id": 1, "n": 1, "request_id": "x"}], "price": 1}"#,
            #"{"created_at": "b", "request_id": "r2", "meta": {"v": 2}, "items": [{"id": 2, "n": 2, "request_id": "y"}], "price": 1}"#,
            rules: rules
        )
        #expect(lines == ["$.items[0].n: recorded 1, got 2"])
    }

    @Test func patternsReadTheirSyntaxAndRejectWhatIsNotAPath() throws {
        let path = JSONPathSteps([.member("a b"), .index(3), .member("id")])
        #expect(path.description == #"$["a b"][3].id"#)
        #expect(path.generalised == #"$["a b"][*].id"#)
        #expect(try JSONPathPattern(#"$["a b"][*].id"#).matches(path))
        #expect(try JSONPathPattern("$.*[3]").matches(path))
        #expect(try JSONPathPattern("$.**.id").matches(path))
        #expect(try !JSONPathPattern("$.id").matches(path))
        #expect(throws: ReplayError.self) { try JSONPathPattern("created_at") }
        #expect(throws: ReplayError.self) { try JSONPathPattern("$.items[x]") }
    }

    @Test func theBuiltInMasksMakeTimestampsUUIDsAndHexIDsEqual() throws {
        let rules = NoiseRules()
        let lines = try diff(
            #"{"at": "2026-12-01T07:03:21.123456+00:00", "id": "0b7a2f5e-5d2c-4a57-9d7e-2f8e0c7b4a11", "trace": "4bf92f3577b34da6a3ce929d0e0e4736", "msg": "order 7 at 2026-12-01 07:03:21Z"}"#,
            #"{"at": "2026-12-02T08:00:00+00:00", "id": "9c4e8a77-1d2b-4f0e-8a6d-3c5b7e9f1a22", "trace": "00f067aa0ba902b7a3ce929d0e0e4736", "msg": "order 8 at 2026-12-02 08:00:00Z"}"#,
            rules: rules
        )
        #expect(lines == [#"$.msg: recorded "order 7 at 2026-12-01 07:03:21Z", got "order 8 at 2026-12-02 08:00:00Z""#])
    }

    @Test func unorderedArraysCompareAsMultisets() throws {
        let rules = NoiseRules(masks: [], unordered: [try JSONPathPattern("$.results")])
        #expect(try diff(#"{"results": ["tea", "teapot"]}"#, #"{"results": ["teapot", "tea"]}"#, rules: rules).isEmpty)
        #expect(try diff(#"{"results": ["tea", "teapot"]}"#, #"{"results": ["teapot", "tea"]}"#).count == 2)
        #expect(
            try diff(#"{"results": ["tea", "teapot"]}"#, #"{"results": ["teapot", "coffee"]}"#, rules: rules) == [
                #"$.results[0]: recorded "tea", got "coffee""#
            ]
        )
    }

    @Test func routesCollapseIDSegmentsAndDropTheQuery() {
        #expect(ReplayRoute(method: "get", path: "/orders/17?x=1").description == "GET /orders/{id}")
        #expect(
            ReplayRoute(method: "GET", path: "http://shop.example:8080/orders/18").description == "GET /orders/{id}"
        )
        #expect(
            ReplayRoute(method: "DELETE", path: "/users/0b7a2f5e-5d2c-4a57-9d7e-2f8e0c7b4a11/keys/4bf92f3577b34da6")
                .description == "DELETE /users/{id}/keys/{id}"
        )
        #expect(ReplayRoute(method: "GET", path: "/v2/search").description == "GET /v2/search")
        #expect(ReplayRoute(method: "GET", path: "/blog/deadbeef").description == "GET /blog/deadbeef")
        #expect(ReplayRoute(method: "GET", path: "/").description == "GET /")
    }

    @Test func theNoiseRulesFileReadsEveryMemberAndNamesAWrongOne() throws {
        let rules = try NoiseRules.parse(
            Data(
                #"""
                {"ignore": ["$.created_at", "**.request_id"], "masks": [{"name": "order", "pattern": "ORD-[0-9]+"}],
                 "default_masks": false, "unordered": ["$.results"], "headers": ["Content-Type", "Cache-Control"],
                 "auto_noise": false}
                """#.utf8
            )
        )
        #expect(rules.ignore.map(\.description) == ["$.created_at", "**.request_id"])
        #expect(rules.masks.map(\.name) == ["order"])
        #expect(rules.masked("ORD-17 and ORD-18") == "<order> and <order>")
        #expect(rules.unordered.map(\.description) == ["$.results"])
        #expect(rules.headers == ["Content-Type", "Cache-Control"])
        #expect(!rules.autoNoise)
        #expect(NoiseRules.standard.masks.map(\.name) == ["timestamp", "uuid", "hex-id"])
        let error = #expect(throws: ReplayError.self) {
            try NoiseRules.parse(Data(#"{"ignore": ["created_at"]}"#.utf8), file: "noise.json")
        }
        #expect(error?.code == .noiseRules)
        #expect(error?.message.contains("noise.json: \"created_at\": a path starts with $ or **") == true)
        #expect(throws: ReplayError.self) { try NoiseRules.parse(Data(#"{"masks": [{"pattern": "("}]}"#.utf8)) }
    }
}
