/// A file that is not a TaaS report `taas` can read: not JSON, not a report, or a report with a
/// field of the wrong kind. Names the JSON path (and the line and column, when known) of the problem.
public struct InvalidReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where in the document the problem is; ``JSONPath/root`` for the document itself.
    public var path: JSONPath
    /// Where the problem is in the text, when known.
    public var location: SourceLocation?
    /// What is wrong, in words.
    public var message: String

    public init(path: JSONPath, location: SourceLocation? = nil, message: String) {
        self.path = path
        self.location = location
        self.message = message
    }

    public var description: String {
        "not a TaaS report: \(path): \(message)\(location.map { " (\($0))" } ?? "")"
    }
}
