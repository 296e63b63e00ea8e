import Synchronization
import TaaSCore

/// Times the lifecycle's phases (setup, services, scenarios, stopping services, teardown) into the
/// run's clock from the `phaseStarted` events it passes on: each phase lasts until the next begins,
/// the last until ``finish()``.
final class LifecycleTimer: RunObserver {
    private let base: any RunObserver
    private let clock: PhaseClock
    private let open = Mutex<(name: String, start: ContinuousClock.Instant)?>(nil)

    init(forwardingTo base: any RunObserver, clock: PhaseClock) {
        self.base = base
        self.clock = clock
    }

    func handle(_ event: RunEvent) {
        if case .phaseStarted(let phase) = event {
            let now = ContinuousClock.now
            let name = String(phase.rawValue.map { $0 == "-" ? "_" : $0 })
            close(at: now, opening: (name, now))
        }
        base.handle(event)
    }

    /// Ends the phase that is running.
    func finish() { close(at: .now, opening: nil) }

    private func close(at now: ContinuousClock.Instant, opening next: (name: String, start: ContinuousClock.Instant)?) {
        let previous = open.withLock { open in
            defer { open = next }
            return open
        }
        if let previous { clock.record(previous.name, from: previous.start, to: now) }
    }
}
