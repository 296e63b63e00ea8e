import Foundation
import TaaSCore

/// A proposal addressed to the Legislator: the Healer never changes the law itself.
enum Proposal {
    /// For an outdated test: the fixer's test diff, with the evidence that the code's interface changed.
    static func amendment(diff: String, paths: [String], diagnosis: Diagnosis) -> Data {
        document(
            kind: "law_amendment",
            summary:
                "The tests call an interface the code no longer has; the fixer's test changes are proposed, not applied. The verdict stays fail.",
            extra: [
                JSONMember(key: "paths", value: .array(paths.map { JSONValue.string($0) })),
                JSONMember(key: "diff", value: .string(diff)),
            ],
            diagnosis: diagnosis
        )
    }

    /// For flaky failures (stabilise or quarantine) and environment failures (the hint, such as
    /// the dependency to add to the scope).
    static func forDiagnosis(_ diagnosis: Diagnosis, scope: TestScope) -> Data {
        var hints: [JSONValue] = []
        for item in diagnosis.items {
            switch item.failureClass {
            case .flaky:
                hints.append(
                    .string(
                        "\(item.scenarioID)\(item.caseID.map { " › \($0)" } ?? ""): stabilise the test (remove its dependence on time, order or state left by an earlier attempt) or quarantine it"
                    )
                )
            case .environment:
                if let dependency = item.evidence.first(where: { $0.kind == "dependency" }),
                    let name = dependency.detail.split(separator: " ").first
                {
                    hints.append(
                        .string("add \(name) to environment.dependencies of \(scope.id) (a law change: re-lock after)")
                    )
                } else {
                    hints.append(.string("\(item.scenarioID): \(item.summary)"))
                }
            default:
                continue
            }
        }
        let kinds = Set(diagnosis.items.map(\.failureClass))
        return document(
            kind: kinds.contains(.environment) ? "environment_hint" : "stabilise_or_quarantine",
            summary: "No code fix: these failures are not the code's. What the law or the environment could change:",
            extra: [JSONMember(key: "hints", value: .array(hints))],
            diagnosis: diagnosis
        )
    }

    private static func document(kind: String, summary: String, extra: [JSONMember], diagnosis: Diagnosis) -> Data {
        PrettyJSON.data(
            .object(
                [
                    JSONMember(key: "proposal_version", value: .number(JSONNumber("1"))),
                    JSONMember(key: "addressed_to", value: .string("legislator")),
                    JSONMember(key: "kind", value: .string(kind)),
                    JSONMember(key: "summary", value: .string(summary)),
                ] + extra + [
                    JSONMember(key: "evidence", value: (try? JSONParser.parse(diagnosis.jsonData()).value) ?? .null)
                ]
            )
        )
    }
}
