/// A path into a JSON answer, or a glob over such paths, as noise rules write them: `$.created_at`,
/// `$.items[*].id`, `**.request_id`.
///
/// A pattern is `$` (or `**`) followed by members (`.name`, `["name"]`), indices (`[3]`), `[*]` or
/// `.*` (any one member or index) and `.**` (any number of members and indices, none included). A
/// pattern that starts with `**` matches at any depth. A pattern matches a path when it matches the
/// path or one of its parents: ignoring `$.meta` ignores `$.meta.version` too.
public struct JSONPathPattern: Sendable, Hashable, CustomStringConvertible {
    /// One step of a pattern.
    enum Step: Sendable, Hashable {
        case member(String)
        case index(Int)
        /// `[*]` or `.*`: any one member or index.
        case any
        /// `**`: any number of members and indices.
        case anyDepth
    }

    let steps: [Step]
    /// The pattern as written.
    public let description: String

    /// Reads a pattern.
    /// - Throws: ``ReplayError`` with code `noiseRules` naming what is wrong in `text`.
    public init(_ text: String) throws(ReplayError) {
        var steps: [Step] = []
        var rest = Substring(text)
        if rest.hasPrefix("**") {
            steps.append(.anyDepth)
            rest = rest.dropFirst(2)
        } else if rest.hasPrefix("$") {
            rest = rest.dropFirst()
        } else {
            throw ReplayError(.noiseRules, "\"\(text)\": a path starts with $ or **, such as $.created_at")
        }
        while let first = rest.first {
            if first == "." {
                rest = rest.dropFirst()
                if rest.hasPrefix("**") {
                    steps.append(.anyDepth)
                    rest = rest.dropFirst(2)
                    continue
                }
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw ReplayError(.noiseRules, "\"\(text)\": a member name is empty") }
                steps.append(name == "*" ? .any : .member(String(name)))
                rest = rest.dropFirst(name.count)
            } else if first == "[" {
                guard let close = rest.firstIndex(of: "]") else {
                    throw ReplayError(.noiseRules, "\"\(text)\": a [ has no ]")
                }
                let inside = rest[rest.index(after: rest.startIndex)..<close]
                if inside == "*" {
                    steps.append(.any)
                } else if let index = Int(inside), index >= 0 {
                    steps.append(.index(index))
                } else if inside.count >= 2, let quote = inside.first, quote == "\"" || quote == "'",
                    inside.last == quote
                {
                    steps.append(.member(String(inside.dropFirst().dropLast())))
                } else {
                    throw ReplayError(.noiseRules, "\"\(text)\": [\(inside)] is not an index, [*] or [\"name\"]")
                }
                rest = rest[rest.index(after: close)...]
            } else {
                throw ReplayError(.noiseRules, "\"\(text)\": expected . or [ before \"\(rest.prefix(20))\"")
            }
        }
        self.steps = steps
        self.description = text
    }

    /// Whether the pattern matches `path` or one of its parents.
    func matches(_ path: JSONPathSteps) -> Bool {
        (0...path.steps.count).contains { Self.match(steps[...], path.steps[..<$0]) }
    }

    /// Whether the pattern matches exactly `path` (not a parent of it).
    func matchesExactly(_ path: JSONPathSteps) -> Bool {
        Self.match(steps[...], path.steps[...])
    }

    private static func match(_ pattern: ArraySlice<Step>, _ path: ArraySlice<JSONPathSteps.Step>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        switch first {
        case .anyDepth:
            return (0...path.count).contains { match(pattern.dropFirst(), path.dropFirst($0)) }
        case .any:
            return !path.isEmpty && match(pattern.dropFirst(), path.dropFirst())
        case .member(let name):
            guard case .member(let actual)? = path.first, actual == name else { return false }
            return match(pattern.dropFirst(), path.dropFirst())
        case .index(let index):
            guard case .index(let actual)? = path.first, actual == index else { return false }
            return match(pattern.dropFirst(), path.dropFirst())
        }
    }
}

/// A concrete path into a JSON answer, such as `$.items[2].id`.
public struct JSONPathSteps: Sendable, Hashable, CustomStringConvertible {
    /// One step: a member or an index.
    public enum Step: Sendable, Hashable {
        case member(String)
        case index(Int)
    }

    public var steps: [Step]

    /// The path of `steps` (`[]` is the document, `$`).
    public init(_ steps: [Step] = []) { self.steps = steps }

    /// The path one member further.
    func appending(_ name: String) -> JSONPathSteps { JSONPathSteps(steps + [.member(name)]) }
    /// The path one index further.
    func appending(_ index: Int) -> JSONPathSteps { JSONPathSteps(steps + [.index(index)]) }

    /// `$.items[2].id`; a member that is not a plain name is written `["a b"]`.
    public var description: String { render(indices: true) }

    /// The path with every index written `[*]`, as automatic noise lists it: `$.items[*].id`.
    public var generalised: String { render(indices: false) }

    private func render(indices: Bool) -> String {
        var text = "$"
        for step in steps {
            switch step {
            case .member(let name):
                let plain =
                    !name.isEmpty && name != "*" && name != "**"
                    && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
                text += plain ? ".\(name)" : "[\"\(name)\"]"
            case .index(let index):
                text += indices ? "[\(index)]" : "[*]"
            }
        }
        return text
    }
}
