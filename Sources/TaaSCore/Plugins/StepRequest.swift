/// A command for a sandbox to run: a lifecycle step, a service, or one attempt of a scenario.
public struct StepRequest: Sendable, Equatable {
    /// How long what the step starts in the background may live.
    public enum Lifetime: Sendable, Equatable {
        /// Everything the step started ends with it (scenarios, teardown).
        case step
        /// Background processes live until the sandbox ends (setup, services).
        case sandbox
    }

    /// A name for the step's log files, such as `setup-1` or `UNIT-001.attempt-2`.
    public var label: String
    /// The program and its arguments, as seen inside the sandbox.
    public var arguments: [String]
    /// The working directory relative to the workspace; `nil` for the workspace itself.
    public var workingDirectory: String?
    /// Variables added to the sandbox's environment for this step.
    public var environment: [String: String]
    /// The step and everything it started are killed after this long.
    public var timeout: Duration
    public var lifetime: Lifetime

    public init(
        label: String,
        arguments: [String],
        workingDirectory: String? = nil,
        environment: [String: String] = [:],
        timeout: Duration,
        lifetime: Lifetime = .step
    ) {
        self.label = label
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.timeout = timeout
        self.lifetime = lifetime
    }

    /// A shell command run with `/bin/sh -c`.
    public static func shell(
        _ command: String,
        label: String,
        timeout: Duration,
        lifetime: Lifetime = .step,
        environment: [String: String] = [:]
    ) -> StepRequest {
        StepRequest(
            label: label,
            arguments: ["/bin/sh", "-c", command],
            environment: environment,
            timeout: timeout,
            lifetime: lifetime
        )
    }
}

/// What became of a step.
public struct StepOutcome: Sendable, Equatable {
    /// The exit code, when the step's main process exited normally.
    public var exitCode: Int32?
    /// The signal that ended the step's main process, if one did.
    public var signal: Int32?
    /// `true` when the step ran past its timeout and was killed.
    public var timedOut: Bool
    /// `true` when the step was stopped on request (a service at the end, or an interruption).
    public var stopped: Bool
    public var duration: Duration
    public var stdout: CapturedOutput
    public var stderr: CapturedOutput
    /// Why the step could not be started, when it could not.
    public var launchError: String?

    public init(
        exitCode: Int32?,
        signal: Int32? = nil,
        timedOut: Bool = false,
        stopped: Bool = false,
        duration: Duration,
        stdout: CapturedOutput = CapturedOutput(),
        stderr: CapturedOutput = CapturedOutput(),
        launchError: String? = nil
    ) {
        self.exitCode = exitCode
        self.signal = signal
        self.timedOut = timedOut
        self.stopped = stopped
        self.duration = duration
        self.stdout = stdout
        self.stderr = stderr
        self.launchError = launchError
    }

    /// `true` when the step exited with code 0 in time.
    public var succeeded: Bool { exitCode == 0 && !timedOut && launchError == nil }

    /// A short account of how the step ended: "exit code 1", "killed by signal 9", "timed out after 5s".
    public func summary(timeout: Duration? = nil) -> String {
        if let launchError { return launchError }
        if timedOut {
            return "timed out" + (timeout.map { " after \(DurationText.describe($0))" } ?? "")
                + "; its processes were killed"
        }
        if stopped { return "stopped" }
        if let signal { return "killed by signal \(signal)" }
        return "exit code \(exitCode.map(String.init) ?? "unknown")"
    }
}

/// The captured output of one stream of a step.
public struct CapturedOutput: Sendable, Equatable {
    /// The last part of the output, decoded as UTF-8 (invalid bytes replaced).
    public var tail: String
    /// How many bytes the step wrote in all.
    public var totalBytes: Int
    /// The file holding the output (up to the size cap), relative to the output folder.
    public var logFile: String?
    /// `true` when the log file stopped at the size cap.
    public var truncated: Bool

    public init(tail: String = "", totalBytes: Int = 0, logFile: String? = nil, truncated: Bool = false) {
        self.tail = tail
        self.totalBytes = totalBytes
        self.logFile = logFile
        self.truncated = truncated
    }
}
