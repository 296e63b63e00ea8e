import Synchronization
import TaaSCore

/// What a ``FakeSandbox`` was asked to do, in order: shared by the sandbox and its instances, so a
/// test reads it after the run.
public final class FakeSandboxJournal: Sendable {
    /// One request made of the sandbox.
    public struct Entry: Sendable, Equatable, CustomStringConvertible {
        public enum Action: String, Sendable {
            /// An instance was started (its label is the run id) or ended.
            case started, ended
            /// A step was run to its end, or started in the background (a service), or stopped.
            case run, start, stop
            /// A service's readiness was probed; an artifact was read.
            case probe, readArtifact
        }

        public var action: Action
        /// The step's label (`setup-1`, `UNIT-001.attempt-2`, `service-api`), the probe's target or
        /// the artifact's name.
        public var label: String
        /// The step's command (a shell step's script), or `""`.
        public var command: String

        public var description: String { "\(action.rawValue) \(label)" }
    }

    private let state = Mutex<(entries: [Entry], runs: [String: Int])>(([], [:]))

    public init() {}

    /// Every request, in the order it was made.
    public var entries: [Entry] { state.withLock { $0.entries } }

    /// The labels of the steps run or started, in order.
    public var stepLabels: [String] {
        entries.filter { $0.action == .run || $0.action == .start }.map(\.label)
    }

    func record(_ action: Entry.Action, _ label: String, command: String = "") {
        state.withLock { $0.entries.append(Entry(action: action, label: label, command: command)) }
    }

    /// Records a run of `command` and returns how many runs of it there were before.
    func recordRun(_ label: String, command: String) -> Int {
        state.withLock { state in
            state.entries.append(Entry(action: .run, label: label, command: command))
            let earlier = state.runs[command, default: 0]
            state.runs[command] = earlier + 1
            return earlier
        }
    }
}
