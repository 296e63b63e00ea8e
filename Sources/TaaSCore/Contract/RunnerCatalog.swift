/// The names of the test runners that an `execution` may name.
public enum RunnerCatalog {
    /// Every runner the contract accepts.
    public static let knownNames = ["pytest"]
}
