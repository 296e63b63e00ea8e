import Foundation
import TaaSCore

/// `replay.json`, written beside the report: every exchange's differences and the noise found per
/// route. The report says pass or fail; this says why, path by path.
public struct ReplayDocument: Sendable, Codable, Equatable {
    /// The format's version.
    public var version: Int = 1
    /// The recording's file.
    public var recording: String
    /// The service the requests were sent to.
    public var service: String
    /// `http://127.0.0.1:8000`.
    public var target: String
    /// The run's id, as in `report.json`.
    public var runID: String
    /// The run's verdict, as in `report.json`.
    public var verdict: Verdict
    /// Whether each request was sent twice to find noise.
    public var autoNoise: Bool
    public var summary: Summary
    /// Each route in the order it first appears: its exchanges' count, its noise and how many of its
    /// exchanges failed.
    public var routes: [Route]
    /// Each exchange in recorded order.
    public var exchanges: [Exchange]

    /// Counts of exchanges by outcome.
    public struct Summary: Sendable, Codable, Equatable {
        public var exchanges: Int
        public var passed: Int
        public var failed: Int
        /// Errored, skipped, or not run (a lock mismatch, a service that never got ready).
        public var notReplayed: Int

        enum CodingKeys: String, CodingKey {
            case exchanges, passed, failed
            case notReplayed = "not_replayed"
        }
    }

    /// One route (method and templated path).
    public struct Route: Sendable, Codable, Equatable {
        /// `GET /orders/{id}`.
        public var route: String
        public var exchanges: Int
        /// What differed between two replays of the route's requests: JSON paths (indices as
        /// `[*]`), `header NAME`, `body`. Ignored when comparing with the recording.
        public var noise: [String]
        /// How many of the route's exchanges failed.
        public var failed: Int
    }

    /// One recorded exchange and its replay.
    public struct Exchange: Sendable, Codable, Equatable {
        /// The scenario that replayed it, as in the report.
        public var scenario: String
        /// `traffic.har entry 3`.
        public var source: String
        public var method: String
        /// The path and query sent.
        public var path: String
        public var route: String
        /// The scenario's verdict.
        public var verdict: Verdict
        /// The recorded status; `nil` when the recording has no answer.
        public var recordedStatus: Int?
        /// The status of each replayed answer.
        public var replayedStatus: [Int]
        public var mismatches: [ReplayMismatch]
        /// The mismatches as the report shows them: `$.price: recorded 12.5, got 13.0`.
        public var differences: [String]
        /// What differed between this exchange's own two answers.
        public var noise: [String]
        /// Why the exchange could not be compared, when it could not.
        public var problem: String?

        enum CodingKeys: String, CodingKey {
            case scenario, source, method, path, route, verdict, mismatches, differences, noise, problem
            case recordedStatus = "recorded_status"
            case replayedStatus = "replayed_status"
        }
    }

    enum CodingKeys: String, CodingKey {
        case version, recording, service, target, verdict, summary, routes, exchanges
        case runID = "run_id"
        case autoNoise = "auto_noise"
    }

    /// The document of a finished replay: `plan`'s exchanges, what `ledger` saw, and the verdicts of
    /// `report`.
    public static func make(
        plan: ReplayPlan,
        recording: String,
        rules: NoiseRules,
        ledger: ReplayLedger,
        report: TaaSReport
    ) async -> ReplayDocument {
        let verdicts = Dictionary(report.scenarios.map { ($0.id, $0.verdict) }, uniquingKeysWith: { $1 })
        let noise = await ledger.allNoise()
        var exchanges: [Exchange] = []
        for item in plan.items {
            let entry = await ledger.entry(for: item.scenarioID)
            exchanges.append(
                Exchange(
                    scenario: item.scenarioID,
                    source: item.exchange.source.display,
                    method: item.exchange.method,
                    path: item.check.path,
                    route: item.route.description,
                    verdict: verdicts[item.scenarioID] ?? .skipped,
                    recordedStatus: item.exchange.response?.status,
                    replayedStatus: entry?.replayedStatus ?? [],
                    mismatches: entry?.mismatches ?? [],
                    differences: entry?.mismatches.map(\.description) ?? [],
                    noise: entry?.noise ?? [],
                    problem: entry?.problem
                )
            )
        }
        var seen = Set<ReplayRoute>()
        let routes = plan.items.map(\.route).filter { seen.insert($0).inserted }.map { route in
            Route(
                route: route.description,
                exchanges: plan.items.filter { $0.route == route }.count,
                noise: noise[route] ?? [],
                failed: exchanges.filter { $0.route == route.description && $0.verdict == .fail }.count
            )
        }
        let passed = exchanges.filter { $0.verdict == .pass }.count
        let failed = exchanges.filter { $0.verdict == .fail }.count
        return ReplayDocument(
            recording: recording,
            service: plan.target.service,
            target:
                "http://\(plan.target.host.contains(":") ? "[\(plan.target.host)]" : plan.target.host):\(plan.target.port)",
            runID: report.runID,
            verdict: report.verdict,
            autoNoise: rules.autoNoise,
            summary: Summary(
                exchanges: exchanges.count,
                passed: passed,
                failed: failed,
                notReplayed: exchanges.count - passed - failed
            ),
            routes: routes,
            exchanges: exchanges
        )
    }

    /// Writes the document as pretty JSON with sorted keys.
    /// - Throws: ``ReplayError`` with code `output`.
    public func write(to url: URL) throws(ReplayError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(self).write(to: url, options: .atomic)
        } catch {
            throw ReplayError(.output, "cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
