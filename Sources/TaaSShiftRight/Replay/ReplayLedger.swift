import TaaSCore

/// What the replay's runner saw, shared by the scenarios of one replay (which may run at once):
/// each exchange's replayed statuses and differences, and the noise found per route so far.
public actor ReplayLedger {
    /// One replayed exchange.
    public struct Entry: Sendable, Equatable {
        public var scenarioID: String
        /// The status of each answer, in the order the request was sent.
        public var replayedStatus: [Int]
        public var mismatches: [ReplayMismatch]
        /// What differed between this exchange's two answers.
        public var noise: [String]
        /// Why there is no answer to compare (a refused connection, an answer that is not HTTP).
        public var problem: String?
    }

    private var entries: [String: Entry] = [:]
    private var noise: [ReplayRoute: [String]] = [:]

    public init() {}

    /// The noise found so far for `route`, in the order it was found.
    public func noise(for route: ReplayRoute) -> [String] { noise[route] ?? [] }

    /// Records an exchange's outcome (a later attempt replaces an earlier one) and adds its noise to
    /// its route's.
    public func record(_ entry: Entry, route: ReplayRoute) {
        entries[entry.scenarioID] = entry
        var known = noise[route] ?? []
        for path in entry.noise where !known.contains(path) { known.append(path) }
        noise[route] = known
    }

    /// The outcome of the exchange replayed by the scenario `id`, if it ran.
    public func entry(for id: String) -> Entry? { entries[id] }

    /// The noise of every route that has some.
    public func allNoise() -> [ReplayRoute: [String]] { noise }
}
