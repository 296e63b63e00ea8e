/// What a step, an attempt or a service printed, as the report records it: the end of each stream, and the log files
/// that hold all of it (the sandbox's ``CapturedOutput`` of each stream, reduced to what the report keeps).
///
/// Its fields are written into the JSON object of the result that holds it (`stdout_tail`, `stderr_tail`,
/// `stdout_log`, `stderr_log`), not as an object of their own.
public struct RecordedOutput: Sendable, Codable, Equatable {
    /// The last bytes of standard output (at most the run's tail size).
    public var stdoutTail: String
    /// The last bytes of standard error.
    public var stderrTail: String
    /// The full standard output's file, relative to the output folder.
    public var stdoutLog: String?
    /// The full standard error's file, relative to the output folder.
    public var stderrLog: String?

    enum CodingKeys: String, CodingKey {
        case stdoutTail = "stdout_tail"
        case stderrTail = "stderr_tail"
        case stdoutLog = "stdout_log"
        case stderrLog = "stderr_log"
    }

    public init(stdoutTail: String = "", stderrTail: String = "", stdoutLog: String? = nil, stderrLog: String? = nil) {
        self.stdoutTail = stdoutTail
        self.stderrTail = stderrTail
        self.stdoutLog = stdoutLog
        self.stderrLog = stderrLog
    }

    /// `true` when neither stream printed anything.
    public var isEmpty: Bool { stdoutTail.isEmpty && stderrTail.isEmpty }

    /// Encodes both tails always and the log paths when there are any.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stdoutTail, forKey: .stdoutTail)
        try container.encode(stderrTail, forKey: .stderrTail)
        try container.encodeIfPresent(stdoutLog, forKey: .stdoutLog)
        try container.encodeIfPresent(stderrLog, forKey: .stderrLog)
    }
}
