import TaaSCore

/// Text helpers shared by the renderers: cleaning output for display and picking the lines of a
/// message that say the most.
public enum ReportText {
    /// Output made fit for display: ANSI escape sequences removed, `\r\n` made `\n`, a lone `\r`
    /// made a line break, and other control characters (but tab and line feed) shown as `�`.
    public static func clean(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar.value {
            case 0x1B:
                // CSI (ESC [ … final byte 0x40–0x7E) and OSC (ESC ] … BEL or ESC \) are dropped whole;
                // any other escape drops the ESC and the one character after it.
                if scalars.first == "[" {
                    scalars.removeFirst()
                    while let next = scalars.popFirst(), !(0x40...0x7E).contains(next.value) {}
                } else if scalars.first == "]" {
                    while let next = scalars.popFirst() {
                        if next.value == 0x07 { break }
                        if next.value == 0x1B { _ = scalars.popFirst(); break }
                    }
                } else {
                    _ = scalars.popFirst()
                }
            case 0x0D:
                if scalars.first != "\n" { result.append("\n") }
            case 0x09, 0x0A:
                result.append(scalar)
            case 0x00..<0x20, 0x7F, 0xFFFE, 0xFFFF:
                result.append("\u{FFFD}")
            default:
                result.append(scalar)
            }
        }
        return String(result)
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
