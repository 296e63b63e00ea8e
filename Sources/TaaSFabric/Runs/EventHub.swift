import Foundation
import Synchronization

/// The live events of the runs in progress: every event line is kept in memory while its run goes,
/// and sent to each subscriber; a subscriber that comes late first gets the past lines. When a run
/// ends its subscribers' streams finish and its lines are dropped (they stay in its `events.jsonl`).
public final class EventHub: Sendable {
    private struct Channel {
        var lines: [String] = []
        var subscribers: [Int: AsyncStream<String>.Continuation] = [:]
    }

    private struct State {
        var channels: [String: Channel] = [:]
        var nextSubscriber = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Opens the channel of a queued run (once: opening it again keeps its subscribers).
    public func open(_ runID: String) {
        state.withLock { state in
            if state.channels[runID] == nil { state.channels[runID] = Channel() }
        }
    }

    /// Sends one event line (a JSON object) to the run's subscribers.
    public func publish(_ line: String, runID: String) {
        state.withLock { state in
            guard state.channels[runID] != nil else { return }
            state.channels[runID]!.lines.append(line)
            for continuation in state.channels[runID]!.subscribers.values { continuation.yield(line) }
        }
    }

    /// Ends the run's channel: its subscribers' streams finish.
    public func close(_ runID: String) {
        guard let channel = state.withLock({ $0.channels.removeValue(forKey: runID) }) else { return }
        for continuation in channel.subscribers.values { continuation.finish() }
    }

    /// The run's past and future event lines, or `nil` when the run is not in progress (read its
    /// `events.jsonl` instead).
    public func subscribe(_ runID: String) -> AsyncStream<String>? {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .unbounded)
        let subscribed: Int? = state.withLock { state in
            guard let channel = state.channels[runID] else { return nil }
            let id = state.nextSubscriber
            state.nextSubscriber += 1
            for line in channel.lines { continuation.yield(line) }
            state.channels[runID]!.subscribers[id] = continuation
            return id
        }
        guard let subscribed else { return nil }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.channels[runID]?.subscribers.removeValue(forKey: subscribed) }
        }
        return stream
    }
}
