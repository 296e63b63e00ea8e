/// The scope's `integrity` section: which workspace files belong to the law and which never
/// change a verdict.
///
/// Patterns are globs relative to the workspace: `*` and `?` match within one path component,
/// `**` matches any number of components (see ``GlobPattern``).
public struct Integrity: Sendable, Equatable {
    /// Files locked by `taas lock` in addition to the default law files.
    public var locked: [String]
    /// Files left out of the workspace digest of the verdict cache, in addition to `.gitignore`.
    public var ignore: [String]

    public init(locked: [String] = [], ignore: [String] = []) {
        self.locked = locked
        self.ignore = ignore
    }
}
