import Foundation
import Synchronization
import TaaSCore

/// Prints a run's progress for people: a line per setup step, service and scenario as each ends,
/// and a final verdict line with counts and the report's path.
public final class ConsoleReporter: RunObserver {
    /// How much to print.
    public enum Verbosity: Sendable { case quiet, normal }

    private let verbosity: Verbosity
    private let colors: Bool
    private let reportPath: String
    private let output = Mutex<FileHandle>(FileHandle.standardOutput)
    private let done = Mutex(0)
    private let total = Mutex(0)

    /// - Parameters:
    ///   - reportPath: the path printed on the last line.
    ///   - colors: `nil` decides from the terminal and `NO_COLOR`.
    public init(verbosity: Verbosity = .normal, reportPath: String, colors: Bool? = nil) {
        self.verbosity = verbosity
        self.reportPath = reportPath
        self.colors = colors ?? (isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
    }

    private func print(_ line: String) {
        output.withLock { $0.write(Data((line + "\n").utf8)) }
    }

    private func paint(_ text: String, _ code: String) -> String {
        colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func badge(_ verdict: Verdict) -> String {
        switch verdict {
        case .pass: paint("PASS", "32;1")
        case .fail: paint("FAIL", "31;1")
        case .error: paint("ERROR", "35;1")
        case .skipped: paint("SKIP", "33")
        }
    }

    public func handle(_ event: RunEvent) {
        if verbosity == .quiet {
            if case .runFinished(let report) = event { print(finalLine(report)) }
            return
        }
        switch event {
        case .runStarted(let runID, let scopeID, let scenarios):
            total.withLock { $0 = scenarios }
            print("taas: running \(scopeID) (\(scenarios) scenario\(scenarios == 1 ? "" : "s"), run \(runID))")
        case .phaseStarted(let phase):
            if phase != .reporting { print(paint("• \(phase.rawValue)", "2")) }
        case .stepFinished(let phase, let index, let result):
            let verdict: Verdict = result.succeeded ? .pass : .error
            print("  \(badge(verdict)) \(phase.rawValue) \(index + 1): \(result.command) (\(result.durationMS)ms)")
            if !result.succeeded, let message = result.message { print("       \(message)") }
        case .serviceReady(let service):
            if service.ready {
                print("  \(badge(.pass)) service \(service.name) ready after \(service.readyAfterMS ?? 0)ms")
            } else {
                print("  \(badge(.error)) service \(service.name): \(service.message ?? "not ready")")
            }
        case .note(let text):
            print("  \(text)")
        case .scenarioFinished(let scenario):
            let count = done.withLock { count in
                count += 1
                return count
            }
            let cases = scenario.cases.isEmpty ? "" : ", \(scenario.cases.count) case\(scenario.cases.count == 1 ? "" : "s")"
            let attempts = scenario.attempts.count > 1 ? ", \(scenario.attempts.count) attempts" : ""
            let flaky = scenario.flaky ? paint(" flaky", "33") : ""
            print(
                "  \(badge(scenario.verdict)) [\(count)/\(total.withLock { $0 })] \(scenario.id) (\(scenario.type)\(cases)\(attempts), \(scenario.durationMS)ms)\(flaky)"
            )
            if scenario.verdict != .pass, let message = scenario.message { print("       \(message)") }
            for failed in scenario.cases where failed.verdict == .fail || failed.verdict == .error {
                let first = failed.message.map { String($0.split(separator: "\n").first ?? "") } ?? ""
                print("       ✗ \(failed.classname.isEmpty ? "" : failed.classname + "::")\(failed.name): \(first.prefix(160))")
            }
        case .runFinished(let report):
            for error in report.errors { print("  \(badge(.error)) \(error.phase): \(error.message)") }
            print(finalLine(report))
        case .attemptStarted, .attemptFinished:
            break
        }
    }

    private func finalLine(_ report: TaaSReport) -> String {
        let s = report.summary
        var parts = ["\(s.passed) passed", "\(s.failed) failed"]
        if s.errored > 0 { parts.append("\(s.errored) errored") }
        if s.skipped > 0 { parts.append("\(s.skipped) skipped") }
        if s.flaky > 0 { parts.append("\(s.flaky) flaky") }
        let cases = s.cases.total > 0 ? "; cases: \(s.cases.passed)/\(s.cases.total) passed" : ""
        return "\(badge(report.verdict)) \(report.scopeID): \(parts.joined(separator: ", "))\(cases) in \(report.durationMS)ms — report: \(reportPath)"
    }
}
