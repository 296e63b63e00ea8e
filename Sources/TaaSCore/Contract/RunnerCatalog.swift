/// The names of the test runners that an `execution` may name.
public enum RunnerCatalog {
    /// Every runner the contract accepts.
    public static let knownNames = ["pytest", "unittest", "swift", "go", "cargo", "node", "junit"]

    /// The one runner whose execution needs a `command` (the command that writes its report).
    public static let commandRunner = "junit"
}
