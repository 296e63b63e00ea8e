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
