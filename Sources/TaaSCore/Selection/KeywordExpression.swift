/// A pytest-style `-k` expression over scenario ids and types: words joined by `and`, `or`, `not`
/// and parentheses, each word matching when it is a case-insensitive substring of the scenario's
/// id or type (`-k "api and not slow"`, `-k "UNIT or (integration and not API-002)"`).
public struct KeywordExpression: Sendable, Equatable, CustomStringConvertible {
    indirect enum Node: Sendable, Equatable {
        case word(String)
        case not(Node)
        case and(Node, Node)
        case or(Node, Node)
    }

    /// The expression as it was written.
    public let text: String
    let root: Node

    /// Parses `text`.
    /// - Throws: ``KeywordExpressionError`` naming the position and what was expected.
    public init(_ text: String) throws(KeywordExpressionError) {
        var parser = Parser(text: text)
        self.text = text
        self.root = try parser.parseExpression()
        if let token = parser.peek() {
            throw KeywordExpressionError(text: text, offset: token.offset, expected: "an operator or the end")
        }
    }

    public var description: String { text }

    /// Whether a scenario with this id and type matches.
    public func matches(id: String, type: String) -> Bool {
        let haystack = [id.lowercased(), type.lowercased()]
        func evaluate(_ node: Node) -> Bool {
            switch node {
            case .word(let word): haystack.contains { $0.contains(word.lowercased()) }
            case .not(let inner): !evaluate(inner)
            case .and(let left, let right): evaluate(left) && evaluate(right)
            case .or(let left, let right): evaluate(left) || evaluate(right)
            }
        }
        return evaluate(root)
    }

    private struct Token {
        enum Kind: Equatable {
            case open, close, and, or, not
            case word(String)
        }
        var kind: Kind
        var offset: Int
    }

    private struct Parser {
        let text: String
        var tokens: [Token]
        var position = 0

        init(text: String) {
            self.text = text
            var tokens: [Token] = []
            var word = ""
            var wordStart = 0
            func flush() {
                guard !word.isEmpty else { return }
                let kind: Token.Kind =
                    switch word {
                    case "and": .and
                    case "or": .or
                    case "not": .not
                    default: .word(word)
                    }
                tokens.append(Token(kind: kind, offset: wordStart))
                word = ""
            }
            for (offset, character) in text.enumerated() {
                if character == "(" || character == ")" {
                    flush()
                    tokens.append(Token(kind: character == "(" ? .open : .close, offset: offset))
                } else if character.isWhitespace {
                    flush()
                } else {
                    if word.isEmpty { wordStart = offset }
                    word.append(character)
                }
            }
            flush()
            self.tokens = tokens
        }

        func peek() -> Token? { position < tokens.count ? tokens[position] : nil }

        mutating func parseExpression() throws(KeywordExpressionError) -> Node {
            var node = try parseAnd()
            while peek()?.kind == .or {
                position += 1
                node = .or(node, try parseAnd())
            }
            return node
        }

        mutating func parseAnd() throws(KeywordExpressionError) -> Node {
            var node = try parseNot()
            while peek()?.kind == .and {
                position += 1
                node = .and(node, try parseNot())
            }
            return node
        }

        mutating func parseNot() throws(KeywordExpressionError) -> Node {
            if peek()?.kind == .not {
                position += 1
                return .not(try parseNot())
            }
            return try parsePrimary()
        }

        mutating func parsePrimary() throws(KeywordExpressionError) -> Node {
            guard let token = peek() else {
                throw KeywordExpressionError(text: text, offset: text.count, expected: "a word or '('")
            }
            switch token.kind {
            case .word(let word):
                position += 1
                return .word(word)
            case .open:
                position += 1
                let inner = try parseExpression()
                guard peek()?.kind == .close else {
                    throw KeywordExpressionError(text: text, offset: peek()?.offset ?? text.count, expected: "')'")
                }
                position += 1
                return inner
            default:
                throw KeywordExpressionError(text: text, offset: token.offset, expected: "a word, 'not' or '('")
            }
        }
    }
}

/// A `-k` expression that does not parse.
public struct KeywordExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The expression.
    public var text: String
    /// Where the problem is, in characters from the start.
    public var offset: Int
    /// What was expected there.
    public var expected: String

    public var description: String {
        "the expression \"\(text)\" is not valid at column \(offset + 1): expected \(expected)"
            + " (words, and, or, not, parentheses)"
    }
}
