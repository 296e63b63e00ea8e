/// The outcome of a run, a scenario, an attempt or a test case.
public enum Verdict: String, Sendable, Codable, Equatable, CaseIterable {
    /// Everything that was asked was verified.
    case pass
    /// A test said no, or hung past its timeout.
    case fail
    /// The verification itself could not be done: setup, teardown or the sandbox broke, or the contract is invalid.
    case error
    /// Not run, because something before it made running it pointless.
    case skipped
}
