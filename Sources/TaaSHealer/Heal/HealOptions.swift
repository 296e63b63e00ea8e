import Foundation

/// How to run one correction cycle (`taas heal`).
public struct HealOptions: Sendable {
    /// The failing run's `report.json`.
    public var reportFile: URL
    /// The workspace the report judged.
    public var workspace: URL
    /// The fixer: a shell command run in the copy with `heal-request.json` on its standard input.
    public var fixer: String
    /// The scope (default: `WORKSPACE/scope.json`).
    public var scopeFile: URL
    /// How long the fixer may take before it is killed, in seconds.
    public var budgetSeconds: Double = 300
    /// Where the copy, the new report and `heal.json` go (default: `heal/` beside the report).
    public var outputDirectory: URL
    /// Copy the fix into the workspace when the outcome is `fixed`.
    public var apply = false
    /// Where virtualenvs and the sandbox agent are cached (`nil`: the default).
    public var cacheDirectory: URL?

    public init(reportFile: URL, workspace: URL, fixer: String, scopeFile: URL? = nil, outputDirectory: URL? = nil) {
        self.reportFile = reportFile.standardizedFileURL
        self.workspace = workspace.standardizedFileURL
        self.fixer = fixer
        self.scopeFile = (scopeFile ?? workspace.appendingPathComponent("scope.json")).standardizedFileURL
        self.outputDirectory =
            (outputDirectory ?? reportFile.deletingLastPathComponent().appendingPathComponent("heal"))
            .standardizedFileURL
    }
}
