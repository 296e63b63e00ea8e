import Foundation
import TaaSCore

/// Runs `cargo test --no-fail-fast ARGS` on the crate at `execution.target` (its folder or its
/// `Cargo.toml`) and reads each test from libtest's per-test lines (`test NAME ... ok`, `FAILED`,
/// `ignored`), with the panic message of each failed test from its `---- NAME stdout ----` section.
/// The classname is the test binary (`src/lib.rs`, `tests/it.rs`, `doc-tests`). A build error is `error`.
public struct CargoRunner: Runner {
    public init() {}

    public var name: String { "cargo" }

    public func run(_ attempt: RunnerAttempt, in sandbox: any SandboxInstance) async throws(SandboxError) -> RunnerResult {
        guard let execution = attempt.execution else {
            return .noExecution
        }
        let outputName = "\(attempt.label).cargo-test.txt"
        let manifest = execution.target.hasSuffix("Cargo.toml") ? execution.target : "\(execution.target)/Cargo.toml"
        let step = ToolStep(
            tool: "cargo", arguments: ["cargo", "test", "--no-fail-fast", "--manifest-path", manifest] + execution.arguments,
            outputArtifact: outputName, mergeStandardError: true)
        let outcome = try await sandbox.run(
            step.request(
                for: attempt, in: sandbox, environment: ["CARGO_TERM_COLOR": "never", "RUST_BACKTRACE": "0"]))
        let output = try await sandbox.readArtifact(outputName) ?? Data()
        let cases = Self.cases(fromOutput: String(decoding: output, as: UTF8.self))
        return ToolJudgement.judge(
            outcome, tool: "cargo test", cases: cases, reportProblem: nil,
            noTests: "cargo test ran no tests in \(execution.target)", timeout: attempt.scenario.timeout)
    }

    /// The test cases in `cargo test`'s output (standard output and error together).
    static func cases(fromOutput text: String) -> [CaseResult] {
        var cases: [CaseResult] = []
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
                cases[index].message = message
            }
        }
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("Running ") {
                closeSection()
                // "Running unittests src/lib.rs (target/…)" or "Running tests/it.rs (target/…)"
                var words = trimmed.dropFirst("Running ".count).split(separator: " ")
                if words.first == "unittests" { words.removeFirst() }
                binary = words.first.map(String.init) ?? ""
                continue
            }
            if trimmed.hasPrefix("Doc-tests ") {
                closeSection()
                binary = "doc-tests"
                continue
            }
            if line.hasPrefix("---- "), line.hasSuffix(" stdout ----") {
                closeSection()
                section = (String(line.dropFirst(5).dropLast(" stdout ----".count)), [])
                continue
            }
            if section != nil {
                if line == "failures:" || line.hasPrefix("test result:") { closeSection() } else { section!.lines.append(line) }
                continue
            }
            guard line.hasPrefix("test "), let marker = line.range(of: " ... ", options: .backwards) else { continue }
            let name = String(line[line.index(line.startIndex, offsetBy: 5)..<marker.lowerBound])
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
            cases.append(CaseResult(name: name, classname: binary, verdict: verdict, durationMS: 0, message: message))
        }
        closeSection()
        return cases
    }
}

extension Runner where Self == CargoRunner {
    /// `cargo test`, with per-test results from libtest's lines.
    public static var cargo: CargoRunner { CargoRunner() }
}
