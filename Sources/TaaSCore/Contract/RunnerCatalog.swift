/// The names of the test runners built into `taas`, which an `execution` may name.
///
/// A scope read with a runner registry's ``RunnerRegistry/executionRunnerNames`` may also name the
/// runners added to it; these are the names accepted when no registry is given (and in the schema).
public enum RunnerCatalog {
    /// Every built-in runner the contract accepts.
    public static let knownNames = ["pytest", "unittest", "swift", "go", "cargo", "node", "junit"]

    /// The one runner whose execution needs a `command` (the command that writes its report).
    public static let commandRunner = "junit"
}
