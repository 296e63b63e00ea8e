import Foundation

/// Reading a scenario's `http`: one request object, or an array of them run in order.
extension ScopeReader {
    /// The most requests one scenario may make.
    static let maximumHTTPRequests = 100
    /// Headers taas writes itself.
    static let reservedHeaders = ["content-length", "transfer-encoding", "connection"]

    mutating func readHTTPChecks(_ value: JSONValue, at path: JSONPath) -> [HTTPCheck]? {
        let elements: [(JSONValue, JSONPath)]
        switch value {
        case .object: elements = [(value, path)]
        case .array(let items):
            if items.isEmpty { error(path, "expected at least one request, found an empty array") }
            if items.count > Self.maximumHTTPRequests {
                error(path, "expected at most \(Self.maximumHTTPRequests) requests, found \(items.count)")
            }
            elements = items.enumerated().map { ($1, path.appending($0)) }
        default:
            wrongType(path, found: value, expected: "a request object or an array of request objects")
            return nil
        }
        var captured: Set<String> = []
        var checks: [HTTPCheck] = []
        var valid = true
        for (element, requestPath) in elements {
            if let check = readHTTPCheck(element, at: requestPath, captured: captured) {
                checks.append(check)
                captured.formUnion(check.captures.map(\.name))
            } else {
                valid = false
            }
        }
        return valid && !checks.isEmpty ? checks : nil
    }

    private mutating func readHTTPCheck(_ value: JSONValue, at path: JSONPath, captured: Set<String>) -> HTTPCheck? {
        guard
            let fields = members(
                value,
                at: path,
                known: ["method", "url", "headers", "body", "json", "expect", "capture"],
                required: ["url"]
            )
        else { return nil }
        var valid = true
        var method = "GET"
        if let text = string(fields["method"], at: path.appending("method"), maxLength: 20) {
            if text.allSatisfy({ $0.isASCII && $0.isUppercase }) {
                method = text
            } else {
                error(
                    path.appending("method"),
                    "expected an HTTP method in capitals such as \"GET\" or \"POST\", found \"\(text)\""
                )
                valid = false
            }
        }
        var target: (host: String, port: Int, path: String)?
        if let url = string(fields["url"], at: path.appending("url"), maxLength: 8000) {
            switch Self.loopbackURL(url) {
            case .success(let parsed): target = parsed
            case .failure(let problem): error(path.appending("url"), problem.message)
            }
            valid = checkPlaceholders(in: url, at: path.appending("url"), captured: captured) && valid
        }
        var headers: [HTTPHeader] = []
        if let value = fields["headers"] {
            if case .object(let members) = value {
                for member in members {
                    let headerPath = path.appending("headers").appending(member.key)
                    guard Self.isHeaderName(member.key) else {
                        error(headerPath, "\"\(member.key)\" is not a valid header name")
                        valid = false
                        continue
                    }
                    if Self.reservedHeaders.contains(member.key.lowercased()) {
                        error(
                            headerPath,
                            "taas sets \(member.key) itself (each request is sent with its length and Connection: close)"
                        )
                        valid = false
                        continue
                    }
                    guard case .string(let text) = member.value else {
                        wrongType(headerPath, found: member.value, expected: "a string")
                        valid = false
                        continue
                    }
                    if text.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\u{0}" }) {
                        error(headerPath, "a header value may not contain line breaks or NUL characters")
                        valid = false
                        continue
                    }
                    valid = checkPlaceholders(in: text, at: headerPath, captured: captured) && valid
                    headers.append(HTTPHeader(name: member.key, value: text))
                }
            } else {
                wrongType(
                    path.appending("headers"),
                    found: value,
                    expected: "an object of header names to string values"
                )
                valid = false
            }
        }
        var body: HTTPCheck.Body?
        switch (fields["body"], fields["json"]) {
        case (.some, .some):
            error(path, "a request has either \"body\" (text) or \"json\" (a JSON value), not both")
            valid = false
        case (.some(let text), nil):
            if case .string(let content) = text {
                body = .text(content)
                valid = checkPlaceholders(in: content, at: path.appending("body"), captured: captured) && valid
            } else {
                wrongType(path.appending("body"), found: text, expected: "a string (use \"json\" for a JSON body)")
                valid = false
            }
        case (nil, .some(let json)):
            body = .json(json)
            valid =
                checkPlaceholders(in: CanonicalJSON.string(json), at: path.appending("json"), captured: captured)
                && valid
        case (nil, nil):
            break
        }
        var expectation: HTTPExpectation? = HTTPExpectation()
        if let value = fields["expect"] { expectation = readExpectation(value, at: path.appending("expect")) }
        var captures: [HTTPCapture] = []
        if let value = fields["capture"] {
            if case .object(let members) = value {
                for member in members {
                    let capturePath = path.appending("capture").appending(member.key)
                    guard Identifier.environmentVariable.matches(member.key) else {
                        error(
                            capturePath,
                            "\"\(member.key)\" is not a valid capture name: letters, digits and _, not starting with a digit"
                        )
                        valid = false
                        continue
                    }
                    guard let query = readQuery(member.value, at: capturePath) else {
                        valid = false
                        continue
                    }
                    captures.append(HTTPCapture(name: member.key, path: query))
                }
            } else {
                wrongType(
                    path.appending("capture"),
                    found: value,
                    expected: "an object of names to JSONPaths such as {\"token\": \"$.token\"}"
                )
                valid = false
            }
        }
        guard valid, let target, let expectation else { return nil }
        return HTTPCheck(
            method: method,
            host: target.host,
            port: target.port,
            path: target.path,
            headers: headers,
            body: body,
            expectation: expectation,
            captures: captures
        )
    }

    private mutating func readExpectation(_ value: JSONValue, at path: JSONPath) -> HTTPExpectation? {
        guard let fields = members(value, at: path, known: ["status", "headers", "json", "body_contains", "max_ms"])
        else {
            return nil
        }
        var valid = true
        var expectation = HTTPExpectation()
        if let status = fields["status"] {
            if case .number(let number) = status {
                if let code = number.integer, (100...599).contains(code) {
                    expectation.status = .equals(status)
                } else {
                    error(path.appending("status"), "expected an HTTP status from 100 to 599, found \(number.text)")
                    valid = false
                }
            } else if let matcher = readMatcher(status, at: path.appending("status")) {
                expectation.status = matcher
            } else {
                valid = false
            }
        }
        if let headers = fields["headers"] {
            if case .object(let members) = headers {
                for member in members {
                    guard let matcher = readMatcher(member.value, at: path.appending("headers").appending(member.key))
                    else {
                        valid = false
                        continue
                    }
                    expectation.headers.append((member.key, matcher))
                }
            } else {
                wrongType(
                    path.appending("headers"),
                    found: headers,
                    expected: "an object of header names to values or matchers"
                )
                valid = false
            }
        }
        if let json = fields["json"] {
            if case .object(let members) = json {
                for member in members {
                    let memberPath = path.appending("json").appending(member.key)
                    guard let query = readQuery(.string(member.key), at: memberPath),
                        let matcher = readMatcher(member.value, at: memberPath)
                    else {
                        valid = false
                        continue
                    }
                    expectation.json.append((query, matcher))
                }
            } else {
                wrongType(
                    path.appending("json"),
                    found: json,
                    expected: "an object of JSONPaths (\"$.id\") to values or matchers"
                )
                valid = false
            }
        }
        if let contains = fields["body_contains"] {
            switch contains {
            case .string(let text): expectation.bodyContains = [text]
            case .array(let items):
                for (index, item) in items.enumerated() {
                    if case .string(let text) = item {
                        expectation.bodyContains.append(text)
                    } else {
                        wrongType(path.appending("body_contains").appending(index), found: item, expected: "a string")
                        valid = false
                    }
                }
            default:
                wrongType(path.appending("body_contains"), found: contains, expected: "a string or an array of strings")
                valid = false
            }
        }
        if let limit = fields["max_ms"] {
            if case .number(let number) = limit, let milliseconds = number.integer,
                (1...3_600_000).contains(milliseconds)
            {
                expectation.maximumMilliseconds = milliseconds
            } else {
                error(
                    path.appending("max_ms"),
                    "expected a whole number of milliseconds from 1 to 3600000, found \(Self.describe(limit))"
                )
                valid = false
            }
        }
        return valid ? expectation : nil
    }

    /// A plain value (equals) or a matcher object.
    mutating func readMatcher(_ value: JSONValue, at path: JSONPath) -> ValueMatcher? {
        guard case .object(let members) = value, !members.isEmpty else { return .equals(value) }
        let keywords = members.filter { ValueMatcher.keywords.contains($0.key) }
        if keywords.isEmpty {
            if members.count == 1, let close = Spelling.closest(to: members[0].key, among: ValueMatcher.keywords) {
                warning(
                    path.appending(members[0].key),
                    "this object is compared literally, as no member is a matcher keyword",
                    hint: "did you mean \"\(close)\"?"
                )
            }
            return .equals(value)
        }
        if keywords.count != members.count {
            let others = members.filter { !ValueMatcher.keywords.contains($0.key) }.map { "\"\($0.key)\"" }
            error(
                path,
                "a matcher has only the keywords \(ValueMatcher.keywords.joined(separator: ", ")); found also \(others.joined(separator: ", ")) (to compare an object literally, use {\"equals\": …})"
            )
            return nil
        }
        var matchers: [ValueMatcher] = []
        for member in members {
            let memberPath = path.appending(member.key)
            switch member.key {
            case "equals": matchers.append(.equals(member.value))
            case "contains": matchers.append(.contains(member.value))
            case "exists":
                guard case .bool(let flag) = member.value else {
                    wrongType(memberPath, found: member.value, expected: "true or false")
                    return nil
                }
                matchers.append(.exists(flag))
            case "matches":
                guard case .string(let pattern) = member.value else {
                    wrongType(memberPath, found: member.value, expected: "a regular expression string")
                    return nil
                }
                guard (try? Regex(pattern)) != nil else {
                    error(memberPath, "\"\(pattern)\" is not a valid regular expression")
                    return nil
                }
                matchers.append(.matches(pattern))
            default:
                guard case .number(let number) = member.value, number.double.isFinite else {
                    wrongType(memberPath, found: member.value, expected: "a number")
                    return nil
                }
                let bound = number.double
                switch member.key {
                case "gt": matchers.append(.greaterThan(bound))
                case "gte": matchers.append(.atLeast(bound))
                case "lt": matchers.append(.lessThan(bound))
                default: matchers.append(.atMost(bound))
                }
            }
        }
        return matchers.count == 1 ? matchers[0] : .all(matchers)
    }

    private mutating func readQuery(_ value: JSONValue, at path: JSONPath) -> JSONQuery? {
        guard case .string(let text) = value else {
            wrongType(path, found: value, expected: "a JSONPath string such as \"$.token\"")
            return nil
        }
        switch JSONQuery.parse(text) {
        case .success(let query): return query
        case .failure(let problem):
            error(path, problem.message)
            return nil
        }
    }

    /// Checks that every `{{name}}` in `text` names a value captured by an earlier request.
    private mutating func checkPlaceholders(in text: String, at path: JSONPath, captured: Set<String>) -> Bool {
        var valid = true
        for name in HTTPPlaceholders.names(in: text) where !captured.contains(name) {
            error(
                path,
                "{{\(name)}} is not captured by an earlier request of this scenario"
                    + (captured.isEmpty ? "" : " (captured: \(captured.sorted().joined(separator: ", ")))")
            )
            valid = false
        }
        return valid
    }

    private static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (CharacterSet.alphanumerics.contains(scalar)
                        || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar))
            }
    }

    /// Why a URL cannot be used by an HTTP check.
    struct URLProblem: Error {
        var message: String
    }

    /// The loopback host, port and path of an `http://` URL, or why it is not one.
    static func loopbackURL(_ url: String) -> Swift.Result<(host: String, port: Int, path: String), URLProblem> {
        let allowed = "only http:// URLs to the sandbox's loopback (localhost, 127.0.0.1 or [::1]) are allowed"
        guard url.lowercased().hasPrefix("http://") else {
            return .failure(.init(message: "\(allowed), found \"\(url)\""))
        }
        let rest = url.dropFirst("http://".count)
        let authorityEnd = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        var remainder = String(rest[authorityEnd...])
        if let fragment = remainder.firstIndex(of: "#") { remainder = String(remainder[..<fragment]) }
        if remainder.isEmpty { remainder = "/" } else if remainder.hasPrefix("?") { remainder = "/" + remainder }
        if remainder.contains(where: { $0 == " " || $0 == "\r" || $0 == "\n" }) {
            return .failure(.init(message: "the URL's path may not contain spaces or line breaks; encode them (%20)"))
        }
        var host = authority
        var port = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                return .failure(.init(message: "\(allowed), found \"\(url)\""))
            }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()) else {
                    return .failure(.init(message: "expected a port number after the host in \"\(url)\""))
                }
                port = number
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let number = Int(authority[authority.index(after: colon)...]) else {
                return .failure(.init(message: "expected a port number after the host in \"\(url)\""))
            }
            port = number
        }
        guard ["localhost", "127.0.0.1", "::1"].contains(host.lowercased()) else {
            return .failure(.init(message: "\(allowed), found the host \"\(host)\""))
        }
        guard (1...65535).contains(port) else {
            return .failure(.init(message: "expected a port from 1 to 65535, found \(port)"))
        }
        return .success((host.lowercased(), port, remainder))
    }
}
