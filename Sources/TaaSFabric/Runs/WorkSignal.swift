import Synchronization

/// Wakes the workers when a run is queued. A notification with no worker waiting is kept, so that
/// a worker that was busy sees it on its next wait.
public final class WorkSignal: Sendable {
    private struct State {
        var pending = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Wakes one waiting worker (or the next one to wait).
    public func notify() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            if let key = state.waiters.keys.min() { return state.waiters.removeValue(forKey: key) }
            state.pending = min(state.pending + 1, 1024)
            return nil
        }
        waiter?.resume()
    }

    /// Returns at the next notification, after `limit`, or when the task is cancelled.
    public func wait(upTo limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns at the next notification, or when the task is cancelled.
    public func wait() async {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.pending > 0 || Task.isCancelled {
                        state.pending = max(0, state.pending - 1)
                        return true
                    }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
