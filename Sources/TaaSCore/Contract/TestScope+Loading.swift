import Foundation

extension TestScope {
    /// Reads and validates the scope in a file, or in the `scope.json` (or `scope.yaml`) of a folder.
    /// - Parameters:
    ///   - runners: the runner names an `execution` may use (a registry's
    ///     ``RunnerRegistry/executionRunnerNames``; default: the built-in runners).
    ///   - yaml: reads YAML scopes (`TaaSScopeYAML`'s reader); without it a YAML scope is refused in words.
    /// - Throws: ``InvalidScopeError`` with every problem found, or ``ScopeFileError`` when the file
    ///   cannot be read or is neither JSON nor YAML.
    public static func load(
        from url: URL,
        runners: [String] = RunnerCatalog.knownNames,
        yaml: (any ScopeDocumentReader)? = nil
    ) throws -> (scope: TestScope, warnings: [ScopeIssue]) {
        let file = try ScopeFile.locate(url)
        let data = try ScopeFile.contents(of: file)
        switch ScopeFile.format(of: file, data: data) {
        case .json:
            return try parse(data, source: file.path, runners: runners)
        case .yaml:
            guard let yaml else {
                throw ScopeFileError(
                    file.path,
                    .unsupported,
                    "it looks like YAML, and this reader takes JSON scopes only (taas reads both)"
                )
            }
            let limit = JSONParser.Limits().maximumBytes
            guard data.count <= limit else {
                throw ScopeFileError(
                    file.path,
                    .unreadable,
                    "it is \(data.count) bytes; a scope may be at most \(limit) bytes"
                )
            }
            guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
                throw ScopeFileError(
                    file.path,
                    .notText,
                    "it is not text (not UTF-8, or it holds NUL bytes); taas reads JSON and YAML scopes"
                )
            }
            let result: ScopeReader.Result
            do {
                let document = try yaml.read(text)
                guard case .object = document.value else {
                    throw ScopeFileError(
                        file.path,
                        .unsupported,
                        "it is neither a JSON nor a YAML TestScope: read as YAML (it does not start with '{') it "
                            + "is \(document.value.kindDescription), not a mapping with scope_id and scenarios"
                    )
                }
                result = ScopeReader.read(
                    document: document.value,
                    duplicateKeys: document.duplicateKeys,
                    runners: runners
                )
            } catch let error as JSONSyntaxError {
                result = ScopeReader.Result(
                    scope: nil,
                    issues: [
                        ScopeIssue(.error, at: .root, "not valid YAML: \(error.message)", location: error.location)
                    ]
                )
            }
            guard let scope = result.scope else { throw InvalidScopeError(issues: result.issues, source: file.path) }
            return (scope, result.issues)
        }
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

/// Reads a scope document written in another language than JSON (YAML) into the contract's JSON
/// model, keeping where each member was written.
public protocol ScopeDocumentReader: Sendable {
    /// The document in `text`, with the duplicate keys found in its objects.
    /// - Throws: ``JSONSyntaxError`` naming the line and column of the first problem.
    func read(
        _ text: String
    ) throws(JSONSyntaxError) -> (
        value: JSONValue, duplicateKeys: [(path: JSONPath, key: String, location: SourceLocation)]
    )
}
