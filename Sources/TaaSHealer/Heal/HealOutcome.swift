import Foundation

/// What one correction cycle came to: `heal.json`. It is a proposal; the workspace changes only
/// with `--apply`, and only when the outcome is `fixed`.
public struct HealResult: Sendable, Codable, Equatable {
    public static let fileName = "heal.json"

    /// The cycle's outcome.
    public enum Outcome: String, Sendable, Codable {
        /// The fixer changed code only and the scope now passes.
        case fixed
        /// The fixer changed code only (or nothing) and the scope still does not pass.
        case stillFailing = "still_failing"
        /// The fixer changed the law; the fix is refused and nothing was re-run.
        case rejected
        /// The fixer did not finish: it exited non-zero or was killed at its budget.
        case fixerFailed = "fixer_failed"
        /// A change of the law is proposed to the Legislator (an outdated test, a flaky test to
        /// stabilise or quarantine, a dependency to add); the verdict stays as it was.
        case amendmentProposed = "amendment_proposed"
    }

    /// The fixer as it ran.
    public struct Fixer: Sendable, Codable, Equatable {
        public var command: String
        /// `nil` when it was killed (at its budget, or by a signal).
        public var exitCode: Int32?
        public var durationMS: Int
        /// The last 4 KiB of what it printed.
        public var outputTail: String
        public var timedOut: Bool

        enum CodingKeys: String, CodingKey {
            case command
            case exitCode = "exit_code"
            case durationMS = "duration_ms"
            case outputTail = "output_tail"
            case timedOut = "timed_out"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(command, forKey: .command)
            try container.encode(exitCode, forKey: .exitCode)
            try container.encode(durationMS, forKey: .durationMS)
            try container.encode(outputTail, forKey: .outputTail)
            try container.encode(timedOut, forKey: .timedOut)
        }
    }

    public var healVersion = 1
    public var outcome: Outcome
    /// Why: `law_changed`, `fixer_timed_out`, `fixer_exit_code`, `test_outdated`, `flaky`,
    /// `environment`, `verdict_pass`, `verdict_fail`, `verdict_error`.
    public var reason: String
    /// The law files the fixer changed (for `rejected` and `amendment_proposed`), else the files it changed.
    public var paths: [String]
    /// The unified diff of the fixer's changes (`a/` the workspace, `b/` the copy).
    public var diff: String
    public var verdictBefore: String
    public var verdictAfter: String
    /// The new report's path, when the scope was re-run.
    public var report: String?
    /// The fixer, `nil` when none ran (a flaky or environment diagnosis).
    public var fixer: Fixer?
    /// The amendment proposal's path, for `amendment_proposed`.
    public var proposal: String?
    /// The workspace copy the fixer worked in.
    public var workspaceCopy: String
    /// Whether the fix was applied to the workspace (`--apply` and `fixed`).
    public var applied: Bool

    enum CodingKeys: String, CodingKey {
        case healVersion = "heal_version"
        case outcome, reason, paths, diff
        case verdictBefore = "verdict_before"
        case verdictAfter = "verdict_after"
        case report, fixer, proposal
        case workspaceCopy = "workspace_copy"
        case applied
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(healVersion, forKey: .healVersion)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(reason, forKey: .reason)
        try container.encode(paths, forKey: .paths)
        try container.encode(diff, forKey: .diff)
        try container.encode(verdictBefore, forKey: .verdictBefore)
        try container.encode(verdictAfter, forKey: .verdictAfter)
        try container.encode(report, forKey: .report)
        try container.encode(fixer, forKey: .fixer)
        try container.encode(proposal, forKey: .proposal)
        try container.encode(workspaceCopy, forKey: .workspaceCopy)
        try container.encode(applied, forKey: .applied)
    }

    /// The result as pretty JSON.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        data.append(0x0A)
        return data
    }
}
