import TaaSCore
import Yams

/// Reads a YAML scope into the contract's JSON model, so that it is validated by the same
/// ``ScopeReader`` as a JSON scope and its problems carry the YAML file's lines and columns.
///
/// Plain scalars take YAML's core types (`true`, `3`, `2.5`, `null`); quoted scalars are strings.
/// Anchors and aliases are expanded; tags other than the core ones are read as their text.
public struct YAMLScopeReader: ScopeDocumentReader {
    public init() {}

    public func read(
        _ text: String
    ) throws(JSONSyntaxError) -> (
        value: JSONValue, duplicateKeys: [(path: JSONPath, key: String, location: SourceLocation)]
    ) {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw Self.syntaxError(error)
        } catch {
            throw JSONSyntaxError(message: "\(error)", location: SourceLocation(line: 1, column: 1))
        }
        guard let root else {
            throw JSONSyntaxError(message: "the document is empty", location: SourceLocation(line: 1, column: 1))
        }
        var duplicates: [(path: JSONPath, key: String, location: SourceLocation)] = []
        let value = try Self.convert(root, path: .root, duplicates: &duplicates)
        return (value, duplicates)
    }

    private static func location(_ mark: Mark?) -> SourceLocation {
        mark.map { SourceLocation(line: $0.line, column: $0.column) } ?? SourceLocation(line: 1, column: 1)
    }

    private static func convert(
        _ node: Node,
        path: JSONPath,
        duplicates: inout [(path: JSONPath, key: String, location: SourceLocation)]
    ) throws(JSONSyntaxError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar, tag: node.tag)
        case .sequence(let sequence):
            var elements: [JSONValue] = []
            for (index, element) in sequence.enumerated() {
                elements.append(try convert(element, path: path.appending(index), duplicates: &duplicates))
            }
            return .array(elements)
        case .mapping(let mapping):
            var members: [JSONMember] = []
            var seen: Set<String> = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw JSONSyntaxError(
                        message:
                            "a mapping key must be a plain name, not \(key.mapping != nil ? "a mapping" : "a list")",
                        location: location(key.mark)
                    )
                }
                let name = keyScalar.string
                let keyLocation = location(key.mark)
                if !seen.insert(name).inserted { duplicates.append((path, name, keyLocation)) }
                let child = try convert(value, path: path.appending(name), duplicates: &duplicates)
                members.append(JSONMember(key: name, value: child, location: keyLocation))
            }
            return .object(members)
        case .alias:
            throw JSONSyntaxError(message: "an unresolved alias", location: location(node.mark))
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar, tag: Tag) -> JSONValue {
        switch Tag.Name(rawValue: tag.rawValue) {
        case .null: return .null
        case .bool: return Bool.construct(from: scalar).map(JSONValue.bool) ?? .string(scalar.string)
        case .int:
            return Int.construct(from: scalar).map { .number(JSONNumber(String($0))) } ?? .string(scalar.string)
        case .float:
            guard let value = Double.construct(from: scalar), value.isFinite else { return .string(scalar.string) }
            return .number(JSONNumber(String(value)))
        default: return .string(scalar.string)
        }
    }

    private static func syntaxError(_ error: YamlError) -> JSONSyntaxError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let around = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return JSONSyntaxError(message: problem + around, location: location(mark))
        case .duplicatedKeysInMapping(let keys, let context):
            return JSONSyntaxError(
                message: "the key \(keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")) appears more than once "
                    + "in the same mapping",
                location: location(context.mark)
            )
        case .reader(let problem, _, _, _):
            return JSONSyntaxError(message: problem, location: SourceLocation(line: 1, column: 1))
        default:
            return JSONSyntaxError(message: "\(error)", location: SourceLocation(line: 1, column: 1))
        }
    }
}
