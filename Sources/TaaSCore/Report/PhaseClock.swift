import Synchronization

/// Records a run's phases as they happen, for ``RunTiming``: the engine and the sandbox record
/// into the one clock of the run. Cheap enough for every run (a lock and an array append).
public final class PhaseClock: Sendable {
    /// Where the times count from.
    public let origin: ContinuousClock.Instant
    /// `process` or `run`: see ``RunTiming/origin``.
    public let originName: String
    private let phases = Mutex<[RunTiming.Phase]>([])

    /// A clock counting from `origin`: the process's start when known, else now.
    public init(processStartedAt origin: ContinuousClock.Instant? = nil) {
        self.origin = origin ?? .now
        self.originName = origin == nil ? "run" : "process"
    }

    /// Records that the phase `name` ran from `start` until `end`.
    public func record(_ name: String, from start: ContinuousClock.Instant, to end: ContinuousClock.Instant = .now) {
        let phase = RunTiming.Phase(
            name: name,
            startMS: DurationText.fractionalMilliseconds(start - origin),
            durationMS: DurationText.fractionalMilliseconds(end - start)
        )
        phases.withLock { $0.append(phase) }
    }

    /// Runs `body` as the phase `name`.
    public func measure<T, Failure: Error>(
        _ name: String,
        _ body: () async throws(Failure) -> T
    ) async throws(Failure) -> T {
        let start = ContinuousClock.now
        defer { record(name, from: start) }
        return try await body()
    }

    /// The phases recorded so far, by start.
    public var timing: RunTiming {
        RunTiming(origin: originName, phases: phases.withLock { $0 }.sorted { $0.startMS < $1.startMS })
    }
}
