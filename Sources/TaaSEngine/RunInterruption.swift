import Synchronization

/// A request to stop a run early (SIGINT, SIGTERM, or a caller that gives up).
///
/// An interrupted run stops its scenarios (killing what runs), still stops its services and runs
/// its teardown, and reports verdict `error`.
public final class RunInterruption: Sendable {
    private struct State {
        var reason: String?
        var waiters: [Int: CheckedContinuation<String?, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Interrupts the run; only the first reason counts.
    public func interrupt(reason: String) {
        let waiters = state.withLock { state -> [CheckedContinuation<String?, Never>] in
            guard state.reason == nil else { return [] }
            state.reason = reason
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    /// Why the run was interrupted, if it was.
    public var reason: String? { state.withLock { $0.reason } }

    /// Waits until the run is interrupted and returns the reason, or until the waiting task is
    /// cancelled (then `nil`). Returns at once if the run already was interrupted.
    func wait() async -> String? {
        let ticket = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let answer = state.withLock { state -> String?? in
                    if let reason = state.reason { return .some(reason) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[ticket] = continuation
                    return .none
                }
                if let answer { continuation.resume(returning: answer) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: ticket) }
            waiter?.resume(returning: nil)
        }
    }
}
