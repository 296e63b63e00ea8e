import Foundation
import TaaSCore

/// One test tool as a row of the tool runners' table: how to invoke it, where its results land, how
/// to read them, and the verdict rules of its own. ``ToolRunner`` runs any row the same way.
public struct ToolDescription: Sendable {
    /// The runner's name, as a scope's `execution.runner` gives it (`go`).
    public var name: String
    /// The tool's command, for messages (`go test`).
    public var tool: String
    /// The program looked up on `PATH`, for messages; by default the first word of ``tool``.
    public var program: String?
    /// Variables the tool needs, under the scenario's own.
    public var environment: [String: String]
    /// The tool's step for an execution, or why the execution cannot be run (a missing field).
    public var step: @Sendable (Execution, ToolFiles) -> Result<ToolStep, ToolMisuse>
    /// Where the results land and how they are read.
    public var results: ToolResults
    /// The message when the tool ran no test.
    public var noTests: @Sendable (Execution) -> String
    /// The tool's own verdict rules, applied after the shared ones for a tool that could not run, a
    /// refused report and a timeout, and before the rules on failed cases and exit codes; `nil` from
    /// it leaves the verdict to the shared rules.
    public var ownRules: (@Sendable (ToolRun) -> RunnerResult?)?
    /// How the tool lists a scenario's cases for the lock's test ledger; `nil` when it cannot.
    public var listing: ToolListing?

    public init(
        name: String,
        tool: String,
        program: String? = nil,
        environment: [String: String] = [:],
        step: @escaping @Sendable (Execution, ToolFiles) -> Result<ToolStep, ToolMisuse>,
        results: ToolResults,
        noTests: @escaping @Sendable (Execution) -> String,
        ownRules: (@Sendable (ToolRun) -> RunnerResult?)? = nil,
        listing: ToolListing? = nil
    ) {
        self.name = name
        self.tool = tool
        self.program = program
        self.environment = environment
        self.step = step
        self.results = results
        self.noTests = noTests
        self.ownRules = ownRules
        self.listing = listing
    }
}

/// The names of one attempt's files in the artifacts folder: `LABEL.SUFFIX`.
public struct ToolFiles: Sendable {
    /// The attempt's label, such as `UNIT-001.attempt-1`.
    public var label: String
    /// The artifacts folder as steps see it.
    public var artifactsPath: String
    /// The workspace's root as steps see it.
    public var workspacePath: String

    public init(label: String, artifactsPath: String, workspacePath: String) {
        self.label = label
        self.artifactsPath = artifactsPath
        self.workspacePath = workspacePath
    }

    /// The artifact's name, for ``SandboxInstance/readArtifact(_:)``.
    public func name(_ suffix: String) -> String { "\(label).\(suffix)" }
    /// The artifact's path as the step sees it.
    public func path(_ suffix: String) -> String { "\(artifactsPath)/\(name(suffix))" }
}

/// Why an execution cannot be run by a tool (a field it needs is missing).
public struct ToolMisuse: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// What a tool run gave, for a tool's own verdict rules.
public struct ToolRun: Sendable {
    public var outcome: StepOutcome
    public var cases: [CaseResult]
    /// Why the results could not be read (or were incomplete), if so.
    public var problem: String?
    public var execution: Execution

    /// A result with this run's outcome and cases.
    public func result(_ verdict: Verdict, _ message: String?) -> RunnerResult {
        RunnerResult(verdict: verdict, outcome: outcome, cases: cases, message: message)
    }
}

/// Where a tool's results land and how they are read.
public enum ToolResults: Sendable {
    /// JUnit XML files in the artifacts folder, by suffix, read in order (those that exist);
    /// `missing` is the problem when none does; `annotate` may add to the cases from the tool's
    /// output artifact `output` (a suffix); `problemPrefix` names the file in a parse problem.
    case junit(
        files: [String],
        missing: @Sendable (Execution) -> String,
        output: String? = nil,
        annotate: (@Sendable ([CaseResult], String) -> [CaseResult])? = nil,
        problemPrefix: (@Sendable (Execution) -> String)? = nil
    )
    /// The tool's captured output (the step's output artifact, by suffix), parsed by `parse`.
    case output(file: String, parse: @Sendable (Data, CaseLimits) -> (cases: [CaseResult], problem: String?))
}
