import Synchronization
import TaaSCore

/// Turns a run's events into MCP progress: one at the start, then one per scenario finished, with a
/// message saying which and how it ended (progress only ever increases, as the protocol asks). The events go into a stream that the server drains in its own task.
struct ProgressRelay: RunObserver {
    /// One progress notification to send.
    struct Step: Sendable {
        var progress: Double
        var total: Double?
        var message: String
    }

    let continuation: AsyncStream<Step>.Continuation
    private let counts = Counter()

    init(continuation: AsyncStream<Step>.Continuation) {
        self.continuation = continuation
    }

    func handle(_ event: RunEvent) {
        switch event {
        case .runStarted(_, let scopeID, let scenarios):
            counts.start(total: scenarios)
            continuation.yield(Step(progress: 0, total: Double(scenarios), message: "running \(scopeID)"))
        case .scenarioFinished(let result):
            let (done, total) = counts.finishOne()
            continuation.yield(
                Step(
                    progress: Double(done),
                    total: Double(total),
                    message: "\(result.id): \(result.verdict.rawValue)"
                )
            )
        case .runFinished:
            continuation.finish()
        default: break
        }
    }
}

/// The scenarios finished so far, shared by the observer's calls.
private final class Counter: Sendable {
    private let counts = Mutex<(done: Int, total: Int)>((0, 0))

    func start(total: Int) { counts.withLock { $0.total = total } }
    func finishOne() -> (Int, Int) {
        counts.withLock {
            $0.done += 1
            return ($0.done, $0.total)
        }
    }
}
