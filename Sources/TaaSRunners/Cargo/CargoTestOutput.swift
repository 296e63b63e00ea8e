import Foundation
import TaaSCore

/// Reads libtest's per-test lines from `cargo test`'s output.
enum CargoTestOutput {
    /// The test cases in `cargo test`'s output (standard output and error together), with a
    /// "case limit reached" problem (and no cases) beyond ``CaseLimits/casesPerScenario``.
    static func cases(
        fromOutput text: String,
        limits: CaseLimits = CaseLimits()
    ) -> (cases: [CaseResult], problem: String?) {
        var cases: [CaseResult] = []
        var sectionBytes = 0
        var binary = ""
        var indexOfBinaryCase: [String: Int] = [:]
        var section: (name: String, lines: [String])?
        func closeSection() {
            guard let open = section else { return }
            section = nil
            var lines: [String] = []
            for line in open.lines {
                if line.hasPrefix("stack backtrace:") || line.hasPrefix("note: run with `RUST_BACKTRACE") { break }
                lines.append(line)
            }
            let message = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if let index = indexOfBinaryCase["\(binary)\u{0}\(open.name)"], !message.isEmpty {
                cases[index].message = CaseLimits.cut(message, to: limits.messageBytes)
            }
        }
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let header = testBinary(inHeader: trimmed) {
                closeSection()
                binary = header
                continue
            }
            if line.hasPrefix("---- "), line.hasSuffix(" stdout ----") {
                closeSection()
                section = (
                    CaseLimits.cut(String(line.dropFirst(5).dropLast(" stdout ----".count)), to: limits.nameBytes), []
                )
                sectionBytes = 0
                continue
            }
            if section != nil {
                if line == "failures:" || line.hasPrefix("test result:") {
                    closeSection()
                } else if sectionBytes < limits.messageBytes {
                    sectionBytes += line.utf8.count + 1
                    section!.lines.append(line)
                }
                continue
            }
            guard line.hasPrefix("test "), let marker = line.range(of: " ... ", options: .backwards) else { continue }
            guard cases.count < limits.casesPerScenario else { return ([], limits.perScenarioMessage) }
            let name = CaseLimits.cut(
                String(line[line.index(line.startIndex, offsetBy: 5)..<marker.lowerBound]),
                to: limits.nameBytes
            )
            let status = String(line[marker.upperBound...])
            let verdict: Verdict
            var message: String?
            if status == "ok" {
                verdict = .pass
            } else if status.hasPrefix("FAILED") {
                verdict = .fail
            } else if status.hasPrefix("ignored") {
                verdict = .skipped
                if status.hasPrefix("ignored, ") { message = String(status.dropFirst("ignored, ".count)) }
            } else {
                continue  // benchmarks and anything else
            }
            indexOfBinaryCase["\(binary)\u{0}\(name)"] = cases.count
            cases.append(
                CaseResult(
                    name: name,
                    classname: CaseLimits.cut(binary, to: limits.nameBytes),
                    verdict: verdict,
                    durationMS: 0,
                    message: message.map { CaseLimits.cut($0, to: limits.messageBytes) }
                )
            )
        }
        closeSection()
        return (cases, nil)
    }

    /// The test binary a header line of cargo's output starts: `src/lib.rs` for "Running unittests
    /// src/lib.rs (target/…)", `tests/it.rs` for "Running tests/it.rs (target/…)", `doc-tests` for
    /// "Doc-tests NAME"; `nil` for any other (trimmed) line.
    static func testBinary(inHeader line: String) -> String? {
        if line.hasPrefix("Doc-tests ") { return "doc-tests" }
        guard line.hasPrefix("Running ") else { return nil }
        var words = line.dropFirst("Running ".count).split(separator: " ")
        if words.first == "unittests" { words.removeFirst() }
        return words.first.map(String.init) ?? ""
    }
}
