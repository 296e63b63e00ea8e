/// A small JSONPath, as used by HTTP checks: `$`, `.name`, `['name']` or `["name"]`, and `[index]`
/// (negative indexes count from the end), such as `$.items[0].id` or `$['content-type']`.
/// Wildcards, filters and slices are not supported.
public struct JSONQuery: Sendable, Equatable, CustomStringConvertible {
    /// One step: a member name or an array index.
    public enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    /// The steps after `$`.
    public var steps: [Step]
    /// The text it was read from.
    public var description: String

    /// Reads a query, or says why the text is not one.
    public static func parse(_ text: String) -> Result<JSONQuery, QueryError> {
        var characters = Substring(text)
        guard characters.first == "$" else {
            return .failure(
                QueryError(message: "a JSONPath starts with \"$\", such as \"$.token\" or \"$.items[0].id\"")
            )
        }
        characters = characters.dropFirst()
        var steps: [Step] = []
        while let next = characters.first {
            if next == "." {
                characters = characters.dropFirst()
                let name = characters.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else {
                    return .failure(QueryError(message: "expected a member name after \".\" in \"\(text)\""))
                }
                steps.append(.key(String(name)))
                characters = characters.dropFirst(name.count)
            } else if next == "[" {
                characters = characters.dropFirst()
                if let quote = characters.first, quote == "'" || quote == "\"" {
                    characters = characters.dropFirst()
                    guard let end = characters.firstIndex(of: quote) else {
                        return .failure(QueryError(message: "a quoted member name is not closed in \"\(text)\""))
                    }
                    steps.append(.key(String(characters[..<end])))
                    characters = characters[characters.index(after: end)...]
                } else {
                    let digits = characters.prefix { $0 != "]" }
                    guard let index = Int(digits) else {
                        return .failure(
                            QueryError(
                                message:
                                    "expected an index or a quoted name in brackets, found \"[\(digits)]\" in \"\(text)\""
                            )
                        )
                    }
                    steps.append(.index(index))
                    characters = characters.dropFirst(digits.count)
                }
                guard characters.first == "]" else {
                    return .failure(QueryError(message: "expected \"]\" in \"\(text)\""))
                }
                characters = characters.dropFirst()
            } else {
                return .failure(
                    QueryError(message: "unexpected \"\(next)\" in \"\(text)\"; use .name, ['name'] or [index]")
                )
            }
        }
        return .success(JSONQuery(steps: steps, description: text))
    }

    /// The value the query selects in `document`, or `nil` when there is none.
    public func value(in document: JSONValue) -> JSONValue? {
        var current = document
        for step in steps {
            switch (step, current) {
            case (.key(let key), .object):
                guard let member = current[key] else { return nil }
                current = member
            case (.index(let index), .array(let elements)):
                let position = index < 0 ? elements.count + index : index
                guard elements.indices.contains(position) else { return nil }
                current = elements[position]
            default:
                return nil
            }
        }
        return current
    }

    /// Why a text is not a query.
    public struct QueryError: Error, Sendable, Equatable {
        public var message: String
    }
}
