import Foundation

/// The machine-readable result of running a TestScope: `report.json`.
///
/// The field names are a public contract (`report_version` 1); tools may rely on them.
public struct TaaSReport: Sendable, Codable, Equatable {
    /// The version of this report format.
    public static let currentVersion = "1.0"

    public var reportVersion: String = TaaSReport.currentVersion
    /// A unique id of this run.
    public var runID: String
    public var scopeID: String
    public var scopeFingerprint: String
    /// `pass`, `fail` or `error` (never `skipped`).
    public var verdict: Verdict
    public var startedAt: Date
    public var finishedAt: Date
    public var durationMS: Int
    /// The version of `taas` that produced the report.
    public var taasVersion: String
    public var sandbox: SandboxDescription
    public var setup: [StepResult]
    public var teardown: [StepResult]
    public var services: [ServiceResult]
    public var scenarios: [ScenarioResult]
    public var summary: Summary
    /// Problems that are not a test's verdict: a failed setup, a sandbox that broke, an interruption.
    public var errors: [RunError]
    /// How the scope and its locked files were checked against the scope's lock.
    public var lockStatus: LockCheck.Status?
    /// `sha256:` of the lock the run was checked against.
    public var lockFingerprint: String?
    /// The files of the law as locked, when a lock was checked.
    public var lockedFiles: [LockedFile]?
    /// What differed from the lock, when the check failed.
    public var lockChanges: [LockChange]?
    /// `true` when this report was served from the verdict cache (`--cache`) instead of a new run.
    public var cached: Bool?
    /// The id of the run a cached report came from.
    public var cachedFrom: String?
    /// How the run chose its scenarios, when it did not run the whole scope (`--scenario`, `-k`,
    /// `--rerun-failed`, `--fail-fast`).
    public var selection: SelectionRecord?
    /// The run's trace: its id and whether it was exported (see docs/telemetry.md).
    public var telemetry: TelemetryRecord?
    /// Where the run's wall time went, phase by phase (see ``RunTiming``).
    public var timing: RunTiming?

    enum CodingKeys: String, CodingKey {
        case reportVersion = "report_version"
        case runID = "run_id"
        case scopeID = "scope_id"
        case scopeFingerprint = "scope_fingerprint"
        case verdict
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case durationMS = "duration_ms"
        case taasVersion = "taas_version"
        case sandbox, setup, teardown, services, scenarios, summary, errors
        case lockStatus = "lock_status"
        case lockFingerprint = "lock_fingerprint"
        case lockedFiles = "locked_files"
        case lockChanges = "lock_changes"
        case cached
        case cachedFrom = "cached_from"
        case selection
        case telemetry
        case timing
    }

    /// Records how the run's law was checked against its lock.
    public mutating func record(_ check: LockCheck) {
        lockStatus = check.status
        lockFingerprint = check.fingerprint
        lockedFiles = check.status == .absent ? nil : check.files
        lockChanges = check.changes.isEmpty ? nil : check.changes
    }

    public init(
        runID: String,
        scopeID: String,
        scopeFingerprint: String,
        verdict: Verdict,
        startedAt: Date,
        finishedAt: Date,
        taasVersion: String,
        sandbox: SandboxDescription,
        setup: [StepResult] = [],
        teardown: [StepResult] = [],
        services: [ServiceResult] = [],
        scenarios: [ScenarioResult] = [],
        errors: [RunError] = []
    ) {
        self.runID = runID
        self.scopeID = scopeID
        self.scopeFingerprint = scopeFingerprint
        self.verdict = verdict
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationMS = Int((finishedAt.timeIntervalSince(startedAt) * 1000).rounded())
        self.taasVersion = taasVersion
        self.sandbox = sandbox
        self.setup = setup
        self.teardown = teardown
        self.services = services
        self.scenarios = scenarios
        self.summary = Summary(scenarios: scenarios)
        self.errors = errors
    }
}

/// One shell command of setup or teardown, as it ran.
public struct StepResult: Sendable, Codable, Equatable {
    public var command: String
    /// The exit code; `null` when the step could not start or was killed by a signal.
    public var exitCode: Int32?
    public var durationMS: Int
    public var timedOut: Bool
    /// What the step printed.
    public var output: RecordedOutput
    /// Why the step did not give an exit code, or what went wrong around it.
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case command
        case exitCode = "exit_code"
        case durationMS = "duration_ms"
        case timedOut = "timed_out"
        case message
    }

    public init(
        command: String,
        exitCode: Int32?,
        durationMS: Int,
        timedOut: Bool,
        output: RecordedOutput = RecordedOutput(),
        message: String? = nil
    ) {
        self.command = command
        self.exitCode = exitCode
        self.durationMS = durationMS
        self.timedOut = timedOut
        self.output = output
        self.message = message
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        command = try container.decode(String.self, forKey: .command)
        exitCode = try container.decodeIfPresent(Int32.self, forKey: .exitCode)
        durationMS = try container.decode(Int.self, forKey: .durationMS)
        timedOut = try container.decode(Bool.self, forKey: .timedOut)
        output = try RecordedOutput(from: decoder)
        message = try container.decodeIfPresent(String.self, forKey: .message)
    }

    /// `true` when the step ran to completion with exit code 0.
    public var succeeded: Bool { exitCode == 0 && !timedOut }

    /// Encodes every field; `exit_code` is written as `null` rather than left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(command, forKey: .command)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(durationMS, forKey: .durationMS)
        try container.encode(timedOut, forKey: .timedOut)
        try output.encode(to: encoder)
        try container.encodeIfPresent(message, forKey: .message)
    }
}

/// A background service of the run.
public struct ServiceResult: Sendable, Codable, Equatable {
    public var name: String
    public var command: String
    public var ready: Bool
    /// How long after its start the service was ready.
    public var readyAfterMS: Int?
    /// Why the service is not ready, or how it ended early.
    public var message: String?
    /// What the service printed.
    public var output: RecordedOutput

    enum CodingKeys: String, CodingKey {
        case name, command, ready
        case readyAfterMS = "ready_after_ms"
        case message
    }

    public init(
        name: String,
        command: String,
        ready: Bool,
        readyAfterMS: Int? = nil,
        message: String? = nil,
        output: RecordedOutput = RecordedOutput()
    ) {
        self.name = name
        self.command = command
        self.ready = ready
        self.readyAfterMS = readyAfterMS
        self.message = message
        self.output = output
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        command = try container.decode(String.self, forKey: .command)
        ready = try container.decode(Bool.self, forKey: .ready)
        readyAfterMS = try container.decodeIfPresent(Int.self, forKey: .readyAfterMS)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        output = try RecordedOutput(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(command, forKey: .command)
        try container.encode(ready, forKey: .ready)
        try container.encodeIfPresent(readyAfterMS, forKey: .readyAfterMS)
        try container.encodeIfPresent(message, forKey: .message)
        try output.encode(to: encoder)
    }
}

/// A scenario's outcome over all its attempts.
public struct ScenarioResult: Sendable, Codable, Equatable {
    public var id: String
    public var type: String
    public var verdict: Verdict
    /// `true` when the scenario passed only after a failed attempt.
    public var flaky: Bool
    public var durationMS: Int
    public var attempts: [AttemptResult]
    /// The test cases of the last attempt, when its runner reports them.
    public var cases: [CaseResult]
    /// Why the scenario has its verdict, when a reason is more than "exit code N".
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case id, type, verdict, flaky
        case durationMS = "duration_ms"
        case attempts, cases, message
    }

    public init(
        id: String,
        type: String,
        verdict: Verdict,
        flaky: Bool = false,
        durationMS: Int = 0,
        attempts: [AttemptResult] = [],
        cases: [CaseResult] = [],
        message: String? = nil
    ) {
        self.id = id
        self.type = type
        self.verdict = verdict
        self.flaky = flaky
        self.durationMS = durationMS
        self.attempts = attempts
        self.cases = cases
        self.message = message
    }
}

/// One try of a scenario.
public struct AttemptResult: Sendable, Codable, Equatable {
    /// 1 for the first attempt.
    public var number: Int
    public var verdict: Verdict
    /// The exit code; `null` when the attempt could not start or was killed by a signal.
    public var exitCode: Int32?
    public var durationMS: Int
    public var timedOut: Bool
    /// What the attempt printed.
    public var output: RecordedOutput
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case number, verdict
        case exitCode = "exit_code"
        case durationMS = "duration_ms"
        case timedOut = "timed_out"
        case message
    }

    public init(
        number: Int,
        verdict: Verdict,
        exitCode: Int32?,
        durationMS: Int,
        timedOut: Bool,
        output: RecordedOutput = RecordedOutput(),
        message: String? = nil
    ) {
        self.number = number
        self.verdict = verdict
        self.exitCode = exitCode
        self.durationMS = durationMS
        self.timedOut = timedOut
        self.output = output
        self.message = message
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        number = try container.decode(Int.self, forKey: .number)
        verdict = try container.decode(Verdict.self, forKey: .verdict)
        exitCode = try container.decodeIfPresent(Int32.self, forKey: .exitCode)
        durationMS = try container.decode(Int.self, forKey: .durationMS)
        timedOut = try container.decode(Bool.self, forKey: .timedOut)
        output = try RecordedOutput(from: decoder)
        message = try container.decodeIfPresent(String.self, forKey: .message)
    }

    /// Encodes every field; `exit_code` is written as `null` rather than left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(exitCode, forKey: .exitCode)
        try container.encode(durationMS, forKey: .durationMS)
        try container.encode(timedOut, forKey: .timedOut)
        try output.encode(to: encoder)
        try container.encodeIfPresent(message, forKey: .message)
    }
}

/// One test case reported by a runner (a pytest test function, say).
public struct CaseResult: Sendable, Codable, Equatable {
    public var name: String
    public var classname: String
    public var verdict: Verdict
    public var durationMS: Int
    /// The failure or error message, or the reason a case was skipped.
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case name, classname, verdict
        case durationMS = "duration_ms"
        case message
    }

    public init(name: String, classname: String, verdict: Verdict, durationMS: Int, message: String? = nil) {
        self.name = name
        self.classname = classname
        self.verdict = verdict
        self.durationMS = durationMS
        self.message = message
    }
}

/// A problem of the run that is not a test's verdict.
public struct RunError: Sendable, Codable, Equatable {
    /// Where it happened: `scope`, `sandbox`, `setup`, `services`, `scenarios`, `teardown`, `report`, `run`.
    public var phase: String
    public var message: String

    public init(phase: String, message: String) {
        self.phase = phase
        self.message = message
    }
}
