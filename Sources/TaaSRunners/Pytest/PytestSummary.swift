import Foundation
import TaaSCore

/// pytest's closing line (`1 failed, 2 passed, 1 deselected in 0.12s`), read to cross-check the
/// JUnit file: code under test that rewrites the JUnit file after pytest wrote it (an `atexit`
/// handler, say) must then also forge the terminal's last line.
struct PytestSummary: Equatable {
    /// The count of each word of the line: `passed`, `failed`, `errors`, `skipped`, `xfailed`,
    /// `xpassed`, `deselected`, `warnings`, … (`error` and `warning` are counted as their plurals).
    var counts: [String: Int]

    /// The last closing line of `output`, or `nil` when there is none (`-qq`, `-p no:terminal`, or
    /// output that was cut or suppressed).
    static func parse(_ output: String) -> PytestSummary? {
        for line in output.split(separator: "\n").reversed() {
            let text = line.trimmingCharacters(in: CharacterSet(charactersIn: "= "))
            guard let match = text.wholeMatch(of: #/((?:\d+ [a-z]+)(?:, \d+ [a-z]+)*) in [0-9.]+s(?: \([0-9:]+\))?/#)
            else {
                continue
            }
            var counts: [String: Int] = [:]
            for part in match.output.1.split(separator: ", ") {
                let pieces = part.split(separator: " ")
                guard pieces.count == 2, let count = Int(pieces[0]) else { continue }
                var word = String(pieces[1])
                if word == "error" || word == "warning" { word += "s" }
                counts[word, default: 0] += count
            }
            return PytestSummary(counts: counts)
        }
        return nil
    }

    /// Why `cases` (from the JUnit file) cannot be the results this line sums up, or `nil`.
    func contradiction(with cases: [CaseResult]) -> String? {
        let failed = counts["failed", default: 0]
        let broken = cases.filter { $0.verdict == .fail || $0.verdict == .error }.count
        if broken < failed {
            return
                "pytest's closing line says \(failed) failed, but its JUnit file reports \(broken) failed or errored case(s): the results were rewritten after pytest wrote them"
        }
        let ran =
            counts["passed", default: 0] + failed + counts["xpassed", default: 0] + counts["skipped", default: 0]
            + counts["xfailed", default: 0]
        if cases.count > ran + counts["errors", default: 0] {
            return
                "the JUnit file reports \(cases.count) case(s), more than the \(ran) pytest's closing line counts: the results were rewritten after pytest wrote them"
        }
        return nil
    }
}
