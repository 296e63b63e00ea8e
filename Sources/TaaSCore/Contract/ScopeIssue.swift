/// One problem found in a TestScope document.
public struct ScopeIssue: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        /// The scope cannot run.
        case error
        /// The scope can run, but something is probably not what its author meant.
        case warning
    }

    public var severity: Severity
    /// Where the problem is, such as `scenarios[1].retry_policy.attempts`.
    public var path: JSONPath
    /// What is wrong, including what was found and what was expected.
    public var message: String
    /// A suggestion, such as "did you mean 'retry_policy'?".
    public var hint: String?
    /// Where in the source text the problem is, when known.
    public var location: SourceLocation?

    public init(
        _ severity: Severity,
        at path: JSONPath,
        _ message: String,
        hint: String? = nil,
        location: SourceLocation? = nil
    ) {
        self.severity = severity
        self.path = path
        self.message = message
        self.hint = hint
        self.location = location
    }

    public var description: String {
        var text = "\(severity): \(path): \(message)"
        if let location, location != .unknown { text += " (\(location))" }
        if let hint { text += "; \(hint)" }
        return text
    }
}

/// A TestScope document that cannot be run, with every problem found in it.
public struct InvalidScopeError: Error, Sendable, CustomStringConvertible {
    /// Every problem, errors first, in document order.
    public var issues: [ScopeIssue]
    /// The file the scope was read from, when it was read from one.
    public var source: String?

    public init(issues: [ScopeIssue], source: String? = nil) {
        self.issues = issues
        self.source = source
    }

    /// The problems that make the scope invalid.
    public var errors: [ScopeIssue] { issues.filter { $0.severity == .error } }

    public var description: String {
        let header =
            "invalid TestScope\(source.map { " \($0)" } ?? ""): \(errors.count) problem\(errors.count == 1 ? "" : "s")"
        return ([header] + issues.map { "  \($0)" }).joined(separator: "\n")
    }
}
