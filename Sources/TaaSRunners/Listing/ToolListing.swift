import Foundation
import TaaSCore

/// How a test tool lists the cases of a scenario without running them: its listing steps and how their
/// output becomes ledger cases. A column of the tool runners' table (``ToolDescription/listing``).
public struct ToolListing: Sendable {
    /// One listing step and the artifact its result lands in.
    public struct Step: Sendable {
        public var step: ToolStep
        /// The artifact (a name in the artifacts folder) that holds the step's listing.
        public var artifact: String

        public init(_ step: ToolStep, artifact: String) {
            self.step = step
            self.artifact = artifact
        }
    }

    /// What one listing step gave.
    public struct Output: Sendable {
        public var outcome: StepOutcome
        /// The step's artifact, `nil` when it was not written.
        public var data: Data?

        public init(outcome: StepOutcome, data: Data?) {
            self.outcome = outcome
            self.data = data
        }

        /// The exit code for messages (`none` when the step did not exit).
        public var exitCode: String { outcome.exitCode.map(String.init) ?? "none" }

        /// The last lines of the step's output, for messages.
        public var tail: String {
            (outcome.stdout.tail + "\n" + outcome.stderr.tail).split(separator: "\n").suffix(3).joined(separator: " | ")
        }
    }

    /// The listing steps of an execution, run in order.
    public var steps: @Sendable (Execution, ToolFiles) -> [Step]
    /// The cases in the steps' outputs (in the order of ``steps``), or why they cannot be read.
    public var read: @Sendable (Execution, [Output]) -> Result<[LedgerCase], ToolListingFailure>

    public init(
        steps: @escaping @Sendable (Execution, ToolFiles) -> [Step],
        read: @escaping @Sendable (Execution, [Output]) -> Result<[LedgerCase], ToolListingFailure>
    ) {
        self.steps = steps
        self.read = read
    }
}

/// Why a tool's listing gave no cases (a build error, a collection error), in words.
public struct ToolListingFailure: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
