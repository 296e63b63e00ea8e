import Foundation
import TaaSCore
import TaaSIntegrity

extension Diagnoser {
    /// Classifies one failure from its text (a case's message, or a scenario's output).
    func classify(scenarioID: String, caseID: String?, text: String, timedOut: Bool) -> Diagnosis.Item {
        let trace = TraceParser(workspace: context.map).parse(text)
        var evidence = frameEvidence(trace)
        if let type = trace.exceptionType {
            let first = trace.exceptionMessage.split(separator: "\n").first.map(String.init) ?? ""
            evidence.insert(Diagnosis.Evidence(kind: "exception", detail: first.isEmpty ? type : first), at: 0)
        }
        func item(
            _ failureClass: FailureClass,
            _ confidence: Double,
            _ summary: String,
            _ extra: [Diagnosis.Evidence] = []
        )
            -> Diagnosis.Item
        {
            Diagnosis.Item(
                scenarioID: scenarioID,
                caseID: caseID,
                failureClass: failureClass,
                confidence: failureClass == .unknown ? 0 : confidence,
                summary: summary,
                evidence: evidence + extra
            )
        }
        let message = trace.exceptionMessage + "\n" + text
        let inner = trace.innermostWorkspaceFrame

        if timedOut {
            return item(
                .unknown,
                0,
                "The scenario timed out; a slow machine and code that hangs look the same from here.",
                [Diagnosis.Evidence(kind: "timeout", detail: "the last attempt timed out")]
            )
        }
        // A module that is not there.
        if trace.exceptionType == "ModuleNotFoundError" || message.contains("No module named") {
            if let module = message.firstMatch(of: #/No module named '([\w.]+)'/#).map({ String($0.output.1) }) {
                let top = String(module.split(separator: ".").first ?? "")
                if context.map.hasModule(module) || context.map.hasModule(top) && module != top {
                    return item(
                        .testOutdated,
                        0.6,
                        "The test imports \(module), which the workspace no longer has under that name."
                    )
                }
                if context.map.hasModule(top) {
                    return item(.unknown, 0, "The module \(module) exists in the workspace but could not be imported.")
                }
                let declared = (context.scope?.environment.dependencies ?? []).map(Self.packageName)
                let isDeclared = declared.contains(Self.packageName(top))
                return item(
                    .environment,
                    isDeclared ? 0.7 : 0.9,
                    isDeclared
                        ? "The package \(top) is in environment.dependencies but was not installed in the sandbox."
                        : "The package \(top) is imported but not in environment.dependencies: add it to the scope (a law change).",
                    [
                        Diagnosis.Evidence(
                            kind: "dependency",
                            detail: isDeclared
                                ? "\(top) is declared but missing in the sandbox"
                                : "\(top) is not in environment.dependencies (\(declared.joined(separator: ", ")))"
                        )
                    ]
                )
            }
        }
        // A service that is not there.
        if trace.exceptionType == "ConnectionRefusedError" || message.contains("Connection refused")
            || message.contains("[Errno 111]")
        {
            let services = context.scope?.services.map(\.name) ?? []
            let port = message.firstMatch(of: #/(?:port[= ]|:)(\d{2,5})\b/#).map { String($0.output.1) }
            if services.isEmpty {
                return item(
                    .environment,
                    0.85,
                    "The test connects to a service\(port.map { " on port \($0)" } ?? "") that the scope does not start.",
                    [Diagnosis.Evidence(kind: "service", detail: "connection refused; the scope starts no service")]
                )
            }
            return item(
                .unknown,
                0,
                "Connection refused by a service the scope starts (\(services.joined(separator: ", "))): the service or its address is wrong."
            )
        }
        // The test's call into the code does not fit the code's interface.
        if let type = trace.exceptionType, ["ImportError", "AttributeError", "NameError", "TypeError"].contains(type) {
            if let outdated = interfaceMismatch(type: type, message: message, trace: trace) {
                return item(.testOutdated, outdated.confidence, outdated.summary, outdated.evidence)
            }
            if inner?.owner == .code {
                return item(.codeBroken, 0.7, "The code raised \(type) at \(Self.place(inner)).", changeEvidence())
            }
        }
        // An assertion of the law on a value the code produced.
        if trace.exceptionType == "AssertionError" || trace.exceptionMessage.hasPrefix("assert") {
            return assertion(trace, inner: inner, item: item)
        }
        // Anything else raised inside the code under test.
        if let type = trace.exceptionType, inner?.owner == .code {
            let changes = changeEvidence()
            let codeChanged = context.changes.map { !$0.code.isEmpty } ?? false
            return item(
                .codeBroken,
                codeChanged ? 0.85 : 0.7,
                "The code raised \(type) at \(Self.place(inner)).",
                changes
            )
        }
        if trace.exceptionType == nil && trace.frames.isEmpty {
            return item(.unknown, 0, "The failure has no stack trace to read.")
        }
        return item(.unknown, 0, "The evidence does not decide between the code, the test and the environment.")
    }

    /// The assertion rules: the law asserts on what the code returned.
    private func assertion(
        _ trace: ParsedTrace,
        inner: StackFrame?,
        item: (FailureClass, Double, String, [Diagnosis.Evidence]) -> Diagnosis.Item
    ) -> Diagnosis.Item {
        guard inner?.owner == .law else {
            if inner?.owner == .code {
                return item(
                    .codeBroken,
                    0.75,
                    "An assertion in the code failed at \(Self.place(inner)).",
                    changeEvidence()
                )
            }
            return item(.unknown, 0, "An assertion failed outside the workspace's files.", [])
        }
        let callsCode = callsIntoCode(trace, frame: inner)
        if let changes = context.changes {
            let evidence = changeEvidence()
            switch (changes.code.isEmpty, changes.law.isEmpty) {
            case (false, true):
                return item(
                    .codeBroken,
                    callsCode ? 0.9 : 0.8,
                    "The law's assertion at \(Self.place(inner)) fails; the code changed since the \(changes.source) and the law did not.",
                    evidence
                )
            case (false, false):
                return item(
                    .codeBroken,
                    0.55,
                    "The law's assertion at \(Self.place(inner)) fails; both the code and the law changed since the \(changes.source).",
                    evidence
                )
            case (true, false):
                return item(
                    .codeBroken,
                    0.5,
                    "The law changed since the \(changes.source) and its new assertion at \(Self.place(inner)) fails on unchanged code.",
                    evidence
                )
            case (true, true):
                return item(
                    .flaky,
                    0.7,
                    "Nothing changed since the passing \(changes.source), yet the assertion at \(Self.place(inner)) now fails.",
                    evidence
                )
            }
        }
        if callsCode {
            return item(
                .codeBroken,
                0.6,
                "The law's assertion at \(Self.place(inner)) fails on a value the code returned.",
                [
                    Diagnosis.Evidence(
                        kind: "no_baseline",
                        detail: "no baseline: whether the code changed is not known (give --baseline or --git)"
                    )
                ]
            )
        }
        return item(
            .unknown,
            0,
            "The test's own assertion fails without a call into the code that the trace shows.",
            []
        )
    }

    /// Whether the asserting line (or pytest's `where … = f(…)` explanation) calls a function the
    /// code defines.
    private func callsIntoCode(_ trace: ParsedTrace, frame: StackFrame?) -> Bool {
        let text = (frame?.source ?? "") + "\n" + trace.exceptionMessage
        let called = Set(text.matches(of: #/([A-Za-z_]\w*)\s*\(/#).map { String($0.output.1) })
        guard !called.isEmpty else { return false }
        if trace.frames.contains(where: { $0.owner == .code }) { return true }
        let defined = codeDefinitions().map(\.name)
        return called.contains { defined.contains($0) }
    }

    /// A renamed, removed or re-signed symbol that the test still calls by its old form.
    private func interfaceMismatch(
        type: String,
        message: String,
        trace: ParsedTrace
    )
        -> (confidence: Double, summary: String, evidence: [Diagnosis.Evidence])?
    {
        let inner = trace.innermostWorkspaceFrame
        // Raised at the test's call: the innermost workspace frame is the law's (or, for an
        // import that failed at collection, there is no code frame at all).
        let atTheTestsCall = inner?.owner == .law || (inner == nil && type == "ImportError")
        guard atTheTestsCall else { return nil }
        var symbol: String?
        switch type {
        case "ImportError":
            symbol = message.firstMatch(of: #/cannot import name '(\w+)'/#).map { String($0.output.1) }
        case "AttributeError":
            symbol = message.firstMatch(of: #/has no attribute '(\w+)'/#).map { String($0.output.1) }
        case "NameError":
            symbol = message.firstMatch(of: #/name '(\w+)' is not defined/#).map { String($0.output.1) }
        default:
            let signature =
                message.contains("unexpected keyword argument") || message.contains("required positional argument")
                || message.contains("positional argument") || message.contains("got multiple values")
            guard signature, let name = message.firstMatch(of: #/(\w+)\(\) (?:got|missing|takes)/#) else { return nil }
            let function = String(name.output.1)
            guard let definition = codeDefinitions().first(where: { $0.name == function }) else { return nil }
            return (
                0.85,
                "The test calls \(function) with arguments its new signature does not take: \(definition.signature).",
                [
                    Diagnosis.Evidence(
                        kind: "signature",
                        detail: "now: \(definition.signature)",
                        path: definition.path,
                        line: definition.line
                    )
                ]
            )
        }
        guard let symbol else { return nil }
        let definitions = codeDefinitions()
        if definitions.contains(where: { $0.name == symbol }) { return nil }
        let matches = definitions.filter { Self.isClose($0.name, symbol) }
        if let best = matches.min(by: { Self.distance($0.name, symbol) < Self.distance($1.name, symbol) }) {
            return (
                0.85,
                "The test uses \(symbol), which the code no longer defines; the code has \(best.name) (\(best.signature)).",
                [
                    Diagnosis.Evidence(
                        kind: "close_match",
                        detail: "\(symbol) → \(best.name): \(best.signature)",
                        path: best.path,
                        line: best.line
                    )
                ]
            )
        }
        guard context.workspace != nil else {
            return (
                0.6,
                "The test uses \(symbol), which the code does not have (the workspace was not given: no close match searched).",
                []
            )
        }
        return (0.65, "The test uses \(symbol), which the code does not define (removed, with no close match).", [])
    }

    // MARK: - Evidence helpers

    func frameEvidence(_ trace: ParsedTrace) -> [Diagnosis.Evidence] {
        var seen: Set<String> = []
        let frames = trace.frames.filter { frame in
            frame.owner != .external && seen.insert("\(frame.path ?? ""):\(frame.line ?? 0)").inserted
        }
        return frames.suffix(6).map { frame in
            Diagnosis.Evidence(
                kind: "frame",
                detail:
                    "\(frame.owner.rawValue): \(frame.path ?? frame.rawPath):\(frame.line.map(String.init) ?? "?")\(frame.function.map { " in \($0)" } ?? "")\(frame.source.map { " — \($0)" } ?? "")",
                path: frame.path,
                line: frame.line
            )
        }
    }

    func changeEvidence() -> [Diagnosis.Evidence] {
        guard let changes = context.changes else { return [] }
        let kind = changes.source == "git" ? "git_diff" : "baseline_diff"
        var evidence = changes.files.prefix(12).map {
            Diagnosis.Evidence(
                kind: kind,
                detail: "\($0.law ? "law" : "code") \($0.change.rawValue): \($0.path)",
                path: $0.path
            )
        }
        if changes.files.isEmpty {
            evidence.append(Diagnosis.Evidence(kind: kind, detail: "no file changed since the \(changes.source)"))
        }
        return evidence
    }

    static func place(_ frame: StackFrame?) -> String {
        guard let frame else { return "an unknown place" }
        return "\(frame.path ?? frame.rawPath):\(frame.line.map(String.init) ?? "?")"
    }

    /// `Requests>=2` → `requests`.
    static func packageName(_ requirement: String) -> String {
        String(requirement.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." })
            .lowercased().replacingOccurrences(of: "-", with: "_")
    }

    /// The functions and classes the code (not the law) defines, from the workspace's Python files.
    func codeDefinitions() -> [CodeDefinition] {
        guard let manifest = context.manifest else { return [] }
        var found: [CodeDefinition] = []
        for entry in manifest.files where !entry.law && entry.path.hasSuffix(".py") {
            guard let text = context.text(of: entry.path) else { continue }
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if let match = line.firstMatch(of: #/^\s*(?:async\s+)?(def|class)\s+(\w+)\s*(\([^)]*\))?/#) {
                    let name = String(match.output.2)
                    found.append(
                        CodeDefinition(
                            name: name,
                            signature: "\(name)\(match.output.3.map(String.init) ?? "")",
                            path: entry.path,
                            line: index + 1
                        )
                    )
                }
            }
        }
        return found
    }

    static func isClose(_ a: String, _ b: String) -> Bool {
        let a = a.lowercased()
        let b = b.lowercased()
        if a.count >= 3 && b.count >= 3 && (a.contains(b) || b.contains(a)) { return true }
        // A shared word of four letters or more: get_item / fetch_item, normalize_headers / canonical_headers.
        let words = Set(a.split(separator: "_").filter { $0.count >= 4 })
        if !words.isDisjoint(with: b.split(separator: "_").filter { $0.count >= 4 }) { return true }
        return distance(a, b) <= max(2, min(a.count, b.count) / 3)
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// A function or class the code defines.
struct CodeDefinition: Sendable {
    var name: String
    var signature: String
    var path: String
    var line: Int
}
