import TaaSCore

/// Text helpers shared by the renderers: cleaning output for display and picking the lines of a
/// message that say the most.
public enum ReportText {
    /// Output made fit for display: escape sequences removed whole, control characters (but tab
    /// and line feed, C1 included) shown as `�`, `\r\n` made `\n` and a lone `\r` a line break
    /// (see ``TerminalText``, the one cleaner).
    public static func clean(_ text: String) -> String {
        TerminalText.clean(text)
    }

    /// The lines of a failure message that say the most, at most `limit` of them, each cut to `width`
    /// characters: pytest's `E   …` lines and its `file.py:LINE: Error` location when the message is
    /// a pytest traceback, else the first non-empty lines.
    public static func keyLines(_ message: String, limit: Int = 3, width: Int = 200) -> [String] {
        let lines = clean(message).split(separator: "\n", omittingEmptySubsequences: true)
            .map { String($0).trimmingTrailingWhitespace() }
            .filter { !$0.trimmingWhitespace().isEmpty }
            .map(Self.taasAdvice)
        // pytest's explanation lines; a bare `E` is its blank line.
        let explained = lines.filter { $0.hasPrefix("E ") && !String($0.dropFirst()).trimmingWhitespace().isEmpty }
        var picked: [String]
        if explained.isEmpty {
            picked = Array(lines.prefix(limit))
        } else {
            picked = Array(explained.prefix(limit))
            if picked.count < limit, let location = lines.last(where: isLocation) { picked.append(location) }
        }
        return picked.map { cut($0, width: width) }
    }

    /// pytest's "Use -v to get more diff" said the taas way: pytest runs inside a scope, so more
    /// detail comes from the execution's `args`.
    static func taasAdvice(_ line: String) -> String {
        let body = line.hasPrefix("E ") ? String(line.dropFirst()).trimmingWhitespace() : line.trimmingWhitespace()
        guard body.hasPrefix("Use -v to get more diff") || body.hasPrefix("Use -vv to get more diff") else {
            return line
        }
        return (line.hasPrefix("E ") ? "E   " : "")
            + "(pytest cut the diff: add \"args\": [\"-vv\"] to the scenario's execution to see all of it)"
    }

    /// A line cut to `width` characters, ending in `…` when it was longer.
    public static func cut(_ line: String, width: Int) -> String {
        line.count > width ? String(line.prefix(max(0, width - 1))) + "…" : line
    }

    /// The last `count` non-empty lines of an output tail.
    public static func lastLines(_ output: String, count: Int) -> [String] {
        let lines = clean(output).split(separator: "\n", omittingEmptySubsequences: true)
            .map { String($0).trimmingTrailingWhitespace() }
            .filter { !$0.trimmingWhitespace().isEmpty }
        return Array(lines.suffix(count))
    }

    /// The last lines a step printed, standard output's then standard error's (`count` at most of
    /// each), as one text: what a service that exited or never got ready said about it.
    public static func lastLines(of output: RecordedOutput, count: Int) -> String {
        (lastLines(output.stdoutTail, count: count) + lastLines(output.stderrTail, count: count))
            .map { cut($0, width: 300) }.joined(separator: "\n")
    }

    /// Where a failure happened, `tests/test_core.py:42`, from a failure message that names it (a
    /// pytest traceback's last `file:LINE: Error` line, or a `file.ext:LINE` in the text); `nil`
    /// when it names none.
    public static func location(in message: String) -> String? {
        let lines = clean(message).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        if let line = lines.last(where: isLocation), let colon = line.firstIndex(of: ":") {
            let digits = line[line.index(after: colon)...].prefix { $0.isNumber }
            return String(line[..<colon]) + ":" + digits
        }
        for line in lines {
            for word in line.split(whereSeparator: { $0 == " " || $0 == "(" || $0 == ")" || $0 == "\"" }) {
                let parts = word.split(separator: ":")
                guard parts.count >= 2, let number = Int(parts[1]), number > 0,
                    let dot = parts[0].lastIndex(of: "."),
                    ["py", "go", "rs", "js", "mjs", "ts", "swift"].contains(
                        String(parts[0][parts[0].index(after: dot)...])
                    )
                else { continue }
                return "\(parts[0]):\(number)"
            }
        }
        return nil
    }

    /// How the run's law was checked against its lock, for people (`verified, 4 files`,
    /// `MISMATCH: tests/test_a.py changed`, `skipped (--no-lock)`); `nil` when the scope has no lock.
    public static func lockFact(_ report: TaaSReport) -> String? {
        switch report.lockStatus {
        case nil, .absent?: nil
        case .verified?: "verified, \(count(report.lockedFiles?.count ?? 0, "file"))"
        case .skipped?: "skipped (--no-lock)"
        case .mismatch?: "MISMATCH: " + (report.lockChanges ?? []).map(\.description).joined(separator: "; ")
        }
    }

    /// A duration in milliseconds as people read it: `250ms`, `1.5s`, `2m 5s`.
    public static func duration(_ milliseconds: Int) -> String {
        DurationText.describe(.milliseconds(milliseconds))
    }

    /// `1 scenario`, `2 scenarios`.
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    /// `tests/test_core.py:42: AssertionError`.
    private static func isLocation(_ line: String) -> Bool {
        guard let colon = line.firstIndex(of: ":"), !line[..<colon].contains(" ") else { return false }
        let rest = line[line.index(after: colon)...]
        let digits = rest.prefix { $0.isNumber }
        return !digits.isEmpty && rest.dropFirst(digits.count).hasPrefix(": ")
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }

    func trimmingWhitespace() -> String {
        String(trimmingTrailingWhitespace().drop { $0.isWhitespace })
    }
}
