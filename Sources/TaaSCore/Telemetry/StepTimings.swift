import Foundation
import Synchronization

/// When each step, service and attempt of a run started and ended, by its label, as the sandbox
/// saw them: the times of the run's spans.
public final class StepTimings: Sendable {
    /// One step's interval; `end` is `nil` while it runs.
    public struct Interval: Sendable, Equatable {
        public var start: Date
        public var end: Date?

        public init(start: Date, end: Date? = nil) {
            self.start = start
            self.end = end
        }
    }

    private let intervals = Mutex<[String: Interval]>([:])

    public init() {}

    /// Records that the step with `label` started at `date`.
    public func started(_ label: String, at date: Date = Date()) {
        intervals.withLock { $0[label] = Interval(start: date) }
    }

    /// Records that the step with `label` ended at `date`.
    public func ended(_ label: String, at date: Date = Date()) {
        intervals.withLock { $0[label, default: Interval(start: date)].end = date }
    }

    /// The interval of the step with `label`, if it ran.
    public func interval(of label: String) -> Interval? {
        intervals.withLock { $0[label] }
    }
}
