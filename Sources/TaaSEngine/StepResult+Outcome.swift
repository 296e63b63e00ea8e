import TaaSCore

extension RecordedOutput {
    /// The tails and log files of a step's two streams.
    init(_ outcome: StepOutcome) {
        self.init(
            stdoutTail: outcome.stdout.tail,
            stderrTail: outcome.stderr.tail,
            stdoutLog: outcome.stdout.logFile,
            stderrLog: outcome.stderr.logFile
        )
    }
}

extension StepResult {
    /// The report's record of a lifecycle step that ran.
    init(command: String, outcome: StepOutcome, timeout: Duration) {
        self.init(
            command: command,
            exitCode: outcome.exitCode,
            durationMS: DurationText.milliseconds(outcome.duration),
            timedOut: outcome.timedOut,
            output: RecordedOutput(outcome),
            message: outcome.succeeded ? nil : outcome.summary(timeout: timeout)
        )
    }
}

extension AttemptResult {
    /// The report's record of one attempt.
    init(number: Int, result: RunnerResult) {
        let outcome = result.outcome
        self.init(
            number: number,
            verdict: result.verdict,
            exitCode: outcome.exitCode,
            durationMS: DurationText.milliseconds(outcome.duration),
            timedOut: outcome.timedOut,
            output: RecordedOutput(outcome),
            message: result.message
        )
    }
}
