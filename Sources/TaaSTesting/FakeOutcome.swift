import TaaSCore

/// How a step run in a ``FakeSandbox`` ends: its exit code, its output, whether it timed out.
public struct FakeOutcome: Sendable, Equatable {
    public var exitCode: Int32?
    public var stdout: String
    public var stderr: String
    public var timedOut: Bool
    /// Why the step could not be started, for a launch failure.
    public var launchError: String?
    /// The duration the outcome reports (no time passes in the fake).
    public var duration: Duration

    public init(
        exitCode: Int32?,
        stdout: String = "",
        stderr: String = "",
        timedOut: Bool = false,
        launchError: String? = nil,
        duration: Duration = .milliseconds(10)
    ) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
        self.launchError = launchError
        self.duration = duration
    }

    /// The step exits with `code`.
    public static func exit(_ code: Int32, stdout: String = "", stderr: String = "") -> FakeOutcome {
        FakeOutcome(exitCode: code, stdout: stdout, stderr: stderr)
    }

    /// The step runs past its timeout and is killed.
    public static var timedOut: FakeOutcome { FakeOutcome(exitCode: nil, timedOut: true) }

    /// The step cannot be started.
    public static func launchFailure(_ reason: String) -> FakeOutcome {
        FakeOutcome(exitCode: nil, launchError: reason)
    }

    /// The outcome as a sandbox returns it, with its output as the tails.
    func stepOutcome(stopped: Bool = false) -> StepOutcome {
        StepOutcome(
            exitCode: exitCode,
            timedOut: timedOut,
            stopped: stopped,
            duration: duration,
            stdout: CapturedOutput(tail: stdout, totalBytes: stdout.utf8.count),
            stderr: CapturedOutput(tail: stderr, totalBytes: stderr.utf8.count),
            launchError: launchError
        )
    }
}
