import Foundation

extension TestScope {
    /// Reads and validates the scope in a file.
    /// - Parameter runners: the runner names an `execution` may use (a registry's
    ///   ``RunnerRegistry/executionRunnerNames``; default: the built-in runners).
    /// - Throws: ``InvalidScopeError`` with every problem found, or ``ScopeFileError`` when the file cannot be read.
    public static func load(
        from url: URL,
        runners: [String] = RunnerCatalog.knownNames
    ) throws -> (scope: TestScope, warnings: [ScopeIssue]) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ScopeFileError(path: url.path, reason: (error as NSError).localizedDescription)
        }
        return try parse(data, source: url.path, runners: runners)
    }

    /// Reads and validates a scope from JSON bytes.
    /// - Parameter runners: the runner names an `execution` may use (default: the built-in runners).
    /// - Throws: ``InvalidScopeError`` with every problem found.
    public static func parse(
        _ data: Data,
        source: String? = nil,
        runners: [String] = RunnerCatalog.knownNames
    ) throws(InvalidScopeError) -> (scope: TestScope, warnings: [ScopeIssue]) {
        let result = ScopeReader.read(data, runners: runners)
        guard let scope = result.scope else { throw InvalidScopeError(issues: result.issues, source: source) }
        return (scope, result.issues)
    }
}

/// A scope file that could not be read at all.
public struct ScopeFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "cannot read the scope file \(path): \(reason)" }
}
