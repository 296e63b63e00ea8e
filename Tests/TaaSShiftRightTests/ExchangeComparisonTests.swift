import Foundation
import TaaSCore
import Testing

@testable import TaaSShiftRight

/// A recorded answer against two replays: automatic noise, real mismatches, statuses, headers and
/// bodies that are not JSON.
@Suite struct ExchangeComparisonTests {
    private let json = [HTTPField(name: "Content-Type", value: "application/json")]

    private func answer(_ status: Int, _ body: String, headers: [HTTPField]? = nil) -> ReplayedAnswer {
        ReplayedAnswer(status: status, headers: headers ?? json, body: Data(body.utf8))
    }

    private func answer(_ body: String, headers: [HTTPField]? = nil) -> ReplayedAnswer {
        answer(200, body, headers: headers)
    }

    private func recorded(_ status: Int, _ body: String, headers: [HTTPField]? = nil) -> RecordedResponse {
        RecordedResponse(status: status, headers: headers ?? json, body: Data(body.utf8))
    }

    private func recorded(_ body: String, headers: [HTTPField]? = nil) -> RecordedResponse {
        recorded(200, body, headers: headers)
    }

    @Test func whatDiffersBetweenTwoReplaysIsNoiseAndWhatBothChangedIsAMismatch() {
        let comparison = ExchangeComparison.compare(
            recorded: recorded(#"{"price": 12.5, "took": 3, "rows": [{"n": 1, "seq": 10}]}"#),
            first: answer(#"{"price": 13.0, "took": 5, "rows": [{"n": 1, "seq": 11}]}"#),
            second: answer(#"{"price": 13.0, "took": 7, "rows": [{"n": 1, "seq": 12}]}"#),
            rules: NoiseRules(masks: [])
        )
        #expect(comparison.noise == ["$.took", "$.rows[*].seq"])
        #expect(comparison.mismatches.map(\.description) == ["$.price: recorded 12.5, got 13.0"])
    }

    @Test func aDifferenceInOnlyOneReplayIsNotAMismatchAndNoiseFromEarlierExchangesIsIgnored() {
        let comparison = ExchangeComparison.compare(
            recorded: recorded(#"{"a": 1, "b": 1}"#),
            first: answer(#"{"a": 2, "b": 1}"#),
            second: answer(#"{"a": 1, "b": 2}"#),
            rules: NoiseRules(masks: []),
            knownNoise: []
        )
        #expect(comparison.mismatches.isEmpty)
        let known = ExchangeComparison.compare(
            recorded: recorded(#"{"a": 1, "seq": 1}"#),
            first: answer(#"{"a": 1, "seq": 9}"#),
            second: answer(#"{"a": 1, "seq": 9}"#),
            rules: NoiseRules(masks: []),
            knownNoise: ["$.seq"]
        )
        #expect(known.mismatches.isEmpty)
        #expect(known.noise.isEmpty)
    }

    @Test func withoutAutomaticNoiseTheFirstAnswerIsCompared() {
        let comparison = ExchangeComparison.compare(
            recorded: recorded(#"{"created_at": "2026-12-01T07:00:00Z", "took": 3}"#),
            first: answer(#"{"created_at": "2026-12-01T08:00:00Z", "took": 4}"#),
            second: nil,
            rules: NoiseRules(autoNoise: false)
        )
        #expect(comparison.noise.isEmpty)
        #expect(comparison.mismatches.map(\.description) == ["$.took: recorded 3, got 4"])
    }

    @Test func statusAndChosenHeadersAreCompared() {
        let comparison = ExchangeComparison.compare(
            recorded: recorded(200, #"{"ok": true}"#),
            first: answer(500, #"{"ok": true}"#, headers: [HTTPField(name: "content-type", value: "text/html")]),
            second: answer(500, #"{"ok": true}"#, headers: [HTTPField(name: "content-type", value: "text/html")]),
            rules: NoiseRules()
        )
        #expect(
            comparison.mismatches.map(\.description) == [
                "status: recorded 200, got 500",
                #"header Content-Type: recorded "application/json", got "text/html""#,
            ]
        )
    }

    @Test func bodiesThatAreNotJSONCompareAsTextWithWhitespaceCollapsed() {
        let text = [HTTPField(name: "Content-Type", value: "text/plain")]
        let same = ExchangeComparison.compare(
            recorded: recorded("hello   world\n", headers: text),
            first: answer("hello world", headers: text),
            second: answer("hello world", headers: text),
            rules: NoiseRules()
        )
        #expect(same.mismatches.isEmpty)
        let changed = ExchangeComparison.compare(
            recorded: recorded("hello world", headers: text),
            first: answer("goodbye", headers: text),
            second: answer("goodbye", headers: text),
            rules: NoiseRules()
        )
        #expect(changed.mismatches.map(\.description) == [#"body: recorded "hello world", got "goodbye""#])
        let noisy = ExchangeComparison.compare(
            recorded: recorded("served at 1", headers: text),
            first: answer("served at 2", headers: text),
            second: answer("served at 3", headers: text),
            rules: NoiseRules()
        )
        #expect(noisy.noise == ["body"])
        #expect(noisy.mismatches.isEmpty)
    }

    @Test func aRecordingWithoutAnAnswerOnlyChecksForA5xx() {
        let fine = ExchangeComparison.compare(
            recorded: nil,
            first: answer(404, "{}"),
            second: answer(404, "{}"),
            rules: NoiseRules()
        )
        #expect(fine.mismatches.isEmpty)
        let broken = ExchangeComparison.compare(
            recorded: nil,
            first: answer(200, "{}"),
            second: answer(503, "{}"),
            rules: NoiseRules()
        )
        #expect(broken.mismatches.map(\.description) == ["status: recorded no answer, got 503"])
    }
}
