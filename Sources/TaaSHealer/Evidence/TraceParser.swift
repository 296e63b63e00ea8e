import Foundation

/// Reads stack traces out of failure text: pytest's long representation (as in its JUnit XML and
/// its log), Python tracebacks, and the failure lines of Go (`file_test.go:12:`), Node
/// (`at fn (file.js:3:9)`) and Swift (`file.swift:7: error:`). Each frame's file is mapped to a
/// workspace file by ``WorkspaceMap``.
public struct TraceParser: Sendable {
    public var workspace: WorkspaceMap

    public init(workspace: WorkspaceMap) {
        self.workspace = workspace
    }

    /// Parses `text`; frames come outermost first.
    public func parse(_ text: String) -> ParsedTrace {
        var trace = ParsedTrace()
        var pendingSource: String?
        var errorLines: [String] = []
        var tracebackFrameIndex: Int?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            // Python traceback: `File "path", line N, in func`
            if let match = rawLine.firstMatch(of: #/^\s*File "([^"]+)", line (\d+)(?:, in (.+))?$/#) {
                trace.frames.append(
                    frame(String(match.output.1), Int(match.output.2), function: match.output.3.map(String.init))
                )
                tracebackFrameIndex = trace.frames.count - 1
                continue
            }
            if let index = tracebackFrameIndex, trace.frames[index].source == nil, !line.isEmpty,
                rawLine.hasPrefix("    ")
            {
                trace.frames[index].source = line
                tracebackFrameIndex = nil
                continue
            }
            // pytest long repr: the failing source line `>   code`, then `path:line: Type` ends the frame;
            // pytest's short traceback in collection errors: `path:line: in func`.
            if line.hasPrefix(">") { pendingSource = String(line.dropFirst()).trimmingCharacters(in: .whitespaces) }
            if let match = line.firstMatch(of: #/^([^\s:]+\.py):(\d+): ?(.*)$/#) {
                let rest = String(match.output.3)
                var item = frame(String(match.output.1), Int(match.output.2), function: nil)
                if rest.hasPrefix("in ") { item.function = String(rest.dropFirst(3)) }
                item.source = pendingSource
                pendingSource = nil
                trace.frames.append(item)
                if let type = rest.firstMatch(
                    of: #/^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Failed|Interrupt|Warning))$/#
                ) {
                    if trace.exceptionType == nil { trace.exceptionType = String(type.output.1) }
                }
                continue
            }
            if line.hasPrefix("E ") || line == "E" {
                errorLines.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
                continue
            }
            // Go: `    calc_test.go:12: add(2, 3) = -1, want 5`
            if let match = line.firstMatch(of: #/^([\w./-]+_test\.go):(\d+): (.*)$/#) {
                trace.frames.append(frame(String(match.output.1), Int(match.output.2), function: nil))
                errorLines.append(String(match.output.3))
                continue
            }
            // Node: `at fn (/path/file.js:3:9)` or `at /path/file.js:3:9`
            if let match = line.firstMatch(of: #/^at (?:(.+?) \()?([^\s()]+\.(?:js|mjs|cjs|ts)):(\d+):\d+\)?$/#) {
                // Node prints innermost first.
                trace.frames.insert(
                    frame(String(match.output.2), Int(match.output.3), function: match.output.1.map(String.init)),
                    at: 0
                )
                continue
            }
            // Swift (XCTest / swift-testing): `/path/Tests/X.swift:7: error: …`
            if let match = line.firstMatch(of: #/^([^\s:]+\.swift):(\d+):(?:\d+:)? error: (.*)$/#) {
                trace.frames.append(frame(String(match.output.1), Int(match.output.2), function: nil))
                errorLines.append(String(match.output.3))
                continue
            }
            // A traceback's last line: `ImportError: cannot import name …`
            if let match = line.firstMatch(of: #/^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)): (.*)$/#) {
                trace.exceptionType = String(match.output.1)
                errorLines.append(line)
                _ = match
            }
        }
        // pytest's `E   ImportError: …` names the type on its first E line.
        for line in errorLines {
            if let match = line.firstMatch(of: #/^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)): /#) {
                trace.exceptionType = String(match.output.1)
                break
            }
        }
        if trace.exceptionType == nil, errorLines.first?.hasPrefix("assert") == true {
            trace.exceptionType = "AssertionError"
        }
        trace.exceptionMessage = errorLines.joined(separator: "\n")
        if let type = trace.exceptionType, let short = type.split(separator: ".").last {
            trace.exceptionType = String(short)
        }
        return trace
    }

    private func frame(_ rawPath: String, _ line: Int?, function: String?) -> StackFrame {
        let path = workspace.resolve(rawPath)
        return StackFrame(
            rawPath: rawPath,
            path: path,
            line: line,
            function: function,
            owner: path.map { workspace.isLaw($0) ? .law : .code } ?? .external
        )
    }
}
