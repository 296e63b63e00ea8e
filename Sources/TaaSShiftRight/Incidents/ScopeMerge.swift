import Foundation
import TaaSCore
import TaaSRunners
import TaaSScopeYAML

/// Adds the scenarios of an incidents fragment to a scope: the Legislator's act that turns incidents
/// into law (the scope's lock must then be renewed with `taas lock`).
///
/// A scenario whose id the scope has already, or whose request (method, path and query, body) is the
/// only request of a scenario the scope has already, is skipped. The scope's other members and their
/// order are kept; the new scenarios come after the scope's own. A JSON scope keeps its indentation
/// unit; a YAML scope whose `scenarios:` is a top-level block sequence gets each new scenario as one
/// flow-style (JSON) item at its end, and any other YAML scope is refused in words. The result is
/// validated as the contract before it is returned.
public struct ScopeMerge: Sendable {
    /// What a merge did.
    public struct Outcome: Sendable {
        /// The merged scope's text, in the scope's own language (JSON or YAML).
        public var text: Data
        /// The ids of the scenarios added, in order.
        public var added: [String]
        /// The ids of the scenarios skipped, with why.
        public var skipped: [(id: String, reason: String)]
        /// The merged scope, validated.
        public var scope: TestScope
    }

    /// The runner names the merged scope may use.
    public var runners: [String]

    public init(runners: [String] = RunnerRegistry.standard.executionRunnerNames) {
        self.runners = runners
    }

    /// Merges the fragment file into the scope file's content (neither file is written).
    /// - Throws: ``IncidentError`` when the fragment or the scope cannot be read or merged,
    ///   ``InvalidScopeError`` when the merged scope is not valid, ``ScopeFileError`` when the scope file
    ///   cannot be read.
    public func merge(scope scopeFile: URL, fragment fragmentFile: URL) throws -> Outcome {
        let fragmentData: Data
        do {
            fragmentData = try Data(contentsOf: fragmentFile)
        } catch {
            throw IncidentError(.fragment, "\(fragmentFile.path): cannot read the file: \(error.localizedDescription)")
        }
        let scenarios = try Self.scenarios(ofFragment: fragmentData, file: fragmentFile.path)
        let file = try ScopeFile.locate(scopeFile)
        let data = try ScopeFile.contents(of: file)
        switch ScopeFile.format(of: file, data: data) {
        case .json: return try mergeJSON(data, scenarios: scenarios, file: file.path)
        case .yaml: return try mergeYAML(data, scenarios: scenarios, file: file.path)
        }
    }

    /// The scenarios of a `taas-incidents/1` fragment.
    static func scenarios(ofFragment data: Data, file: String) throws(IncidentError) -> [JSONValue] {
        let document: JSONValue
        do {
            document = try JSONParser.parse(data).value
        } catch {
            throw IncidentError(.fragment, "\(file): not JSON: \(error.description)")
        }
        guard case .string(let version) = document["fragment"] ?? .null, version.hasPrefix("taas-incidents/") else {
            throw IncidentError(
                .fragment,
                "\(file): $.fragment: expected \"\(IncidentFragment.version)\"; is this the output of `taas incidents`?"
            )
        }
        guard version == IncidentFragment.version else {
            throw IncidentError(
                .fragment,
                "\(file): $.fragment: this taas reads \"\(IncidentFragment.version)\" fragments, found \"\(version)\""
            )
        }
        guard case .array(let scenarios) = document["scenarios"] ?? .null else {
            throw IncidentError(.fragment, "\(file): $.scenarios: expected an array of scenarios")
        }
        for (index, scenario) in scenarios.enumerated() {
            guard case .string = scenario["id"] ?? .null else {
                throw IncidentError(.fragment, "\(file): $.scenarios[\(index)].id: expected the scenario's id")
            }
        }
        return scenarios
    }

    /// Which fragment scenarios to add (in order) and which to skip, given the scope's scenarios.
    static func plan(
        _ scenarios: [JSONValue],
        into existing: [JSONValue]
    ) -> (added: [JSONValue], skipped: [(id: String, reason: String)]) {
        var ids: Set<String> = []
        var requests: [String: String] = [:]
        for scenario in existing {
            guard case .string(let id) = scenario["id"] ?? .null else { continue }
            ids.insert(id)
            if let key = requestKey(scenario), requests[key] == nil { requests[key] = id }
        }
        var added: [JSONValue] = []
        var skipped: [(id: String, reason: String)] = []
        for scenario in scenarios {
            guard case .string(let id) = scenario["id"] ?? .null else { continue }
            if ids.contains(id) {
                skipped.append((id, "the scope has a scenario \(id) already"))
                continue
            }
            let key = requestKey(scenario)
            if let key, let other = requests[key] {
                skipped.append((id, "scenario \(other) makes the same request"))
                continue
            }
            ids.insert(id)
            if let key { requests[key] = id }
            added.append(scenario)
        }
        return (added, skipped)
    }

    /// `METHOD /path?query BODY` of a scenario that makes exactly one HTTP request; `nil` otherwise.
    static func requestKey(_ scenario: JSONValue) -> String? {
        var request = scenario["http"]
        if case .array(let list) = request ?? .null { request = list.count == 1 ? list[0] : nil }
        guard let request, case .string(let url) = request["url"] ?? .null else { return nil }
        var method = "GET"
        if case .string(let given) = request["method"] ?? .null { method = given }
        let body = request["json"].map(CanonicalJSON.string) ?? request["body"].map(CanonicalJSON.string) ?? ""
        return "\(method) \(RequestTarget(url).pathAndQuery) \(body)"
    }

    private func mergeJSON(_ data: Data, scenarios: [JSONValue], file: String) throws -> Outcome {
        let document: JSONValue
        do {
            document = try JSONParser.parse(data).value
        } catch {
            throw InvalidScopeError(
                issues: [ScopeIssue(.error, at: .root, "not valid JSON: \(error.message)", location: error.location)],
                source: file
            )
        }
        guard case .object(var members) = document,
            let index = members.lastIndex(where: { $0.key == "scenarios" }),
            case .array(let existing) = members[index].value
        else {
            throw IncidentError(.scope, "\(file): expected a TestScope object with a \"scenarios\" array")
        }
        let plan = Self.plan(scenarios, into: existing)
        members[index].value = .array(existing + plan.added)
        let text = Self.reindent(PrettyJSON.data(.object(members)), like: data)
        let result = ScopeReader.read(text, runners: runners)
        guard let scope = result.scope else { throw InvalidScopeError(issues: result.issues, source: file) }
        return Outcome(
            text: text,
            added: plan.added.compactMap { $0["id"].flatMap(Self.string) },
            skipped: plan.skipped,
            scope: scope
        )
    }

    private func mergeYAML(_ data: Data, scenarios: [JSONValue], file: String) throws -> Outcome {
        guard let text = String(data: data, encoding: .utf8) else {
            throw IncidentError(.scope, "\(file): not UTF-8 text")
        }
        let reader = YAMLScopeReader()
        let read: JSONValue
        do {
            read = try reader.read(text).value
        } catch {
            throw InvalidScopeError(
                issues: [ScopeIssue(.error, at: .root, "not valid YAML: \(error.message)", location: error.location)],
                source: file
            )
        }
        guard case .array(let existing) = read["scenarios"] ?? .null else {
            throw IncidentError(.scope, "\(file): expected a TestScope mapping with a \"scenarios\" list")
        }
        let plan = Self.plan(scenarios, into: existing)
        var lines = text.components(separatedBy: "\n")
        let refusal =
            "\(file): taas scope merge adds to a YAML scope whose top-level \"scenarios:\" is a block list (\"- id: …\" "
            + "items on their own lines); add the fragment's scenarios by hand, or merge into a JSON scope"
        guard let start = lines.firstIndex(where: { $0.hasPrefix("scenarios:") }) else {
            throw IncidentError(.scope, refusal)
        }
        let rest = lines[start].dropFirst("scenarios:".count).trimmingCharacters(in: .whitespaces)
        guard rest.isEmpty || rest.hasPrefix("#") else { throw IncidentError(.scope, refusal) }
        var end = start + 1
        while end < lines.count {
            let line = lines[end]
            if let first = line.first, !first.isWhitespace, first != "#", first != "-" { break }
            if line.hasPrefix("---") { break }
            end += 1
        }
        let block = (start + 1)..<end
        guard let firstItem = block.first(where: { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("-") })
        else { throw IncidentError(.scope, refusal) }
        let indent = String(lines[firstItem].prefix { $0 == " " })
        let last =
            block.last { index in
                let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
                return !trimmed.isEmpty && !(lines[index].hasPrefix("#"))
            } ?? start
        let items = plan.added.map { indent + "- " + Self.flow($0) }
        lines.insert(contentsOf: items, at: last + 1)
        let merged = Data(lines.joined(separator: "\n").utf8)
        let document: (value: JSONValue, duplicateKeys: [(path: JSONPath, key: String, location: SourceLocation)])
        do {
            document = try reader.read(String(decoding: merged, as: UTF8.self))
        } catch {
            throw IncidentError(.scope, "\(refusal) (the merged text does not read as YAML: \(error.message))")
        }
        let result = ScopeReader.read(document: document.value, duplicateKeys: document.duplicateKeys, runners: runners)
        guard let scope = result.scope else { throw InvalidScopeError(issues: result.issues, source: file) }
        let ids = scope.scenarios.map(\.id)
        let expected =
            existing.compactMap { $0["id"].flatMap(Self.string) }
            + plan.added.compactMap { $0["id"].flatMap(Self.string) }
        guard ids == expected else { throw IncidentError(.scope, refusal) }
        return Outcome(
            text: merged,
            added: plan.added.compactMap { $0["id"].flatMap(Self.string) },
            skipped: plan.skipped,
            scope: scope
        )
    }

    private static func string(_ value: JSONValue) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }

    /// One-line JSON that keeps the members' order (JSON is YAML's flow style).
    static func flow(_ value: JSONValue) -> String {
        switch value {
        case .array(let elements): return "[" + elements.map(flow).joined(separator: ", ") + "]"
        case .object(let members):
            return "{"
                + members.map { CanonicalJSON.string(.string($0.key)) + ": " + flow($0.value) }
                .joined(separator: ", ") + "}"
        case .number(let number): return number.text
        default: return CanonicalJSON.string(value)
        }
    }

    /// PrettyJSON's two-space text indented with the unit the original uses (its first indented line's
    /// leading whitespace), so that a merge changes no more lines than it must.
    static func reindent(_ pretty: Data, like original: Data) -> Data {
        let source = String(decoding: original, as: UTF8.self)
        let unit =
            source.components(separatedBy: "\n").lazy.map { $0.prefix { $0 == " " || $0 == "\t" } }
            .first { !$0.isEmpty }.map(String.init) ?? "  "
        guard unit != "  " else { return pretty }
        let lines = String(decoding: pretty, as: UTF8.self).components(separatedBy: "\n").map { line in
            let spaces = line.prefix { $0 == " " }.count
            return String(repeating: unit, count: spaces / 2) + line.dropFirst(spaces)
        }
        return Data(lines.joined(separator: "\n").utf8)
    }
}
