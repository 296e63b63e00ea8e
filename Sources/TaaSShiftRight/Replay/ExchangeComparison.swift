import Foundation
import TaaSCore

/// How one recorded exchange compares with its replays: the differences that count, and the
/// noise seen between the two replays.
public struct ExchangeComparison: Sendable, Equatable {
    /// The differences from the recording found in every replay and not ignored as noise.
    public var mismatches: [ReplayMismatch]
    /// What differed between the two replays (JSON paths with indices as `[*]`, `header NAME`,
    /// `body`): noise for the exchange's route.
    public var noise: [String]

    /// Compares `recorded` with the answers of the first and (with automatic noise) second replay.
    ///
    /// - Parameters:
    ///   - recorded: The recorded answer; `nil` when the recording has none (HAR status 0): then the
    ///     only check is that no replay answered with a 5xx status.
    ///   - first: The first replay's answer.
    ///   - second: The second replay's answer, when the request was sent twice.
    ///   - rules: The noise rules.
    ///   - knownNoise: Noise already found for the same route by earlier exchanges.
    public static func compare(
        recorded: RecordedResponse?,
        first: ReplayedAnswer,
        second: ReplayedAnswer?,
        rules: NoiseRules,
        knownNoise: [String] = []
    ) -> ExchangeComparison {
        let noise = second.map { noisePaths(first, $0, rules) } ?? []
        let answers = [first] + (second.map { [$0] } ?? [])
        guard let recorded else {
            let failing = answers.first { $0.status >= 500 }
            return ExchangeComparison(
                mismatches: failing.map {
                    [ReplayMismatch(path: "status", kind: .status, recorded: "no answer", got: "\($0.status)")]
                } ?? [],
                noise: noise
            )
        }
        let ignored = Set(noise + knownNoise)
        let patterns = ignored.compactMap { try? JSONPathPattern($0) }
        // A difference counts when every replay shows it (the first replay's values are shown).
        let perAnswer = answers.map { differences(recorded, $0, rules, ignored: ignored, patterns: patterns) }
        let mismatches =
            perAnswer.dropFirst().reduce(perAnswer[0]) { kept, other in
                let paths = Set(other.map(\.path))
                return kept.filter { paths.contains($0.path) }
            }
        return ExchangeComparison(mismatches: mismatches, noise: noise)
    }

    private static func differences(
        _ recorded: RecordedResponse,
        _ answer: ReplayedAnswer,
        _ rules: NoiseRules,
        ignored: Set<String>,
        patterns: [JSONPathPattern]
    ) -> [ReplayMismatch] {
        var found: [ReplayMismatch] = []
        if recorded.status != answer.status {
            found.append(
                ReplayMismatch(path: "status", kind: .status, recorded: "\(recorded.status)", got: "\(answer.status)")
            )
        }
        for name in rules.headers where !ignored.contains("header \(name.lowercased())") {
            let before = recorded.header(name)
            let after = answer.header(name)
            if before.map(rules.masked) != after.map(rules.masked) {
                found.append(
                    ReplayMismatch(
                        path: "header \(name)",
                        kind: .header,
                        recorded: before.map(quoted) ?? "none",
                        got: after.map(quoted) ?? "none"
                    )
                )
            }
        }
        // A recording that kept no body (or a replay whose bodies differ between its two answers)
        // has no body to compare.
        guard let body = recorded.body, !ignored.contains("body") else { return found }
        switch (json(body), json(answer.body)) {
        case (let before?, let after?):
            found += JSONDiff.differences(recorded: before, got: after, rules: rules, noise: patterns)
        case (_?, nil):
            found.append(
                ReplayMismatch(path: "body", kind: .body, recorded: "JSON", got: excerpt(answer.body))
            )
        default:
            if let mismatch = textDifference(body, answer.body, rules) { found.append(mismatch) }
        }
        return found
    }

    /// What differs between two replays of one request.
    private static func noisePaths(_ first: ReplayedAnswer, _ second: ReplayedAnswer, _ rules: NoiseRules) -> [String] {
        var noise: [String] = []
        for name in rules.headers where first.header(name) != second.header(name) {
            noise.append("header \(name.lowercased())")
        }
        switch (json(first.body), json(second.body)) {
        case (let one?, let two?):
            noise += JSONDiff.paths(where: one, differsFrom: two, rules: rules)
        default:
            var raw = rules
            raw.masks = []
            if textDifference(first.body, second.body, raw) != nil { noise.append("body") }
        }
        return noise
    }

    /// Bodies that are not both JSON: as text with whitespace collapsed and masks applied when both
    /// are UTF-8, else byte for byte.
    private static func textDifference(_ recorded: Data, _ got: Data, _ rules: NoiseRules) -> ReplayMismatch? {
        if let before = String(data: recorded, encoding: .utf8), let after = String(data: got, encoding: .utf8) {
            func normal(_ text: String) -> String {
                rules.masked(text.split(whereSeparator: \.isWhitespace).joined(separator: " "))
            }
            guard normal(before) != normal(after) else { return nil }
            return ReplayMismatch(path: "body", kind: .body, recorded: excerpt(recorded), got: excerpt(got))
        }
        guard recorded != got else { return nil }
        return ReplayMismatch(
            path: "body",
            kind: .body,
            recorded: "\(recorded.count) bytes",
            got: "\(got.count) other bytes"
        )
    }

    /// A JSON document, or `nil` when the body is empty or not JSON.
    private static func json(_ body: Data) -> JSONValue? {
        guard !body.isEmpty else { return nil }
        return try? JSONParser.parse(body).value
    }

    private static func quoted(_ text: String) -> String {
        CanonicalJSON.string(.string(text))
    }

    private static func excerpt(_ body: Data) -> String {
        let text = String(decoding: body, as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if text.isEmpty { return "an empty body" }
        return quoted(text.count > 120 ? String(text.prefix(120)) + "…" : text)
    }
}
