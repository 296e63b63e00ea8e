/// What a failure is, as the Healer reads its evidence.
public enum FailureClass: String, Sendable, Codable, CaseIterable {
    /// An assertion fails on a value the code produced, or the code raised: the code is wrong.
    case codeBroken = "code_broken"
    /// The test calls the code by an interface it no longer has (a renamed symbol, a changed signature).
    case testOutdated = "test_outdated"
    /// The same inputs gave both verdicts.
    case flaky
    /// Setup, services, the sandbox, a missing dependency: not the code and not the test.
    case environment
    /// The evidence does not decide.
    case unknown
}
