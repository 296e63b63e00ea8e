import Foundation
import Synchronization
import TaaSCore

/// Prints a run's progress for people.
///
/// A line per setup step, service and scenario as each ends (with the phase, `[done/total]` and the
/// time since the start), and at the end a digest of what failed and a verdict line. On a terminal,
/// a status line under them shows a spinner, the phase, the scenarios done, the elapsed time and what
/// is running; elsewhere (CI logs) only plain lines are printed, with a "still running" line after a
/// minute without output. Call ``animate()`` alongside the run to drive the status line.
public final class ConsoleReporter: RunObserver {
    /// How much to print.
    public enum Verbosity: Sendable {
        /// The verdict line only.
        case quiet
        /// Progress lines, the failure digest and the verdict line.
        case normal
        /// As normal, plus each step's and attempt's captured output (its last 4 KiB) right after it ends.
        case verbose
    }

    private struct Running {
        var scenarioID: String
        var attempt: Int
        var since: ContinuousClock.Instant
    }

    private struct State {
        var phase: RunPhase?
        var done = 0
        var total = 0
        var running: [Running] = []
        var statusVisible = false
        var frame = 0
        var finished = false
        var lastOutput: ContinuousClock.Instant
        /// The latest `.progress` of the current phase (pip's packages), shown in the status line.
        var activity: String?
        /// When the reporting phase began, for `--verbose`'s timing of the report files.
        var reportingSince: ContinuousClock.Instant?
    }

    private let verbosity: Verbosity
    private let colors: Bool
    private let statusLine: Bool
    private let reportPath: String
    private let heartbeat: Duration
    private let write: @Sendable (String) -> Void
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant
    private let state: Mutex<State>

    private static let spinner = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")

    /// - Parameters:
    ///   - reportPath: the path printed on the last line.
    ///   - colors: `nil` decides from the terminal: colours only on a terminal, and never when `NO_COLOR` is set.
    ///   - statusLine: `nil` decides from the terminal: a live status line only on a terminal (not `TERM=dumb`).
    ///   - heartbeat: how long plain output may stay silent before a "still running" line.
    ///   - write: where the text goes (default: standard output).
    public init(
        verbosity: Verbosity = .normal,
        reportPath: String,
        colors: Bool? = nil,
        statusLine: Bool? = nil,
        heartbeat: Duration = .seconds(60),
        write: (@Sendable (String) -> Void)? = nil
    ) {
        let environment = ProcessInfo.processInfo.environment
        let terminal = isatty(STDOUT_FILENO) == 1
        self.verbosity = verbosity
        self.reportPath = reportPath
        self.heartbeat = heartbeat
        self.colors = colors ?? Self.colorsWanted(terminal: terminal, environment: environment)
        self.statusLine = (statusLine ?? (terminal && environment["TERM"] != "dumb")) && verbosity != .quiet
        self.write = write ?? { text in FileHandle.standardOutput.write(Data(text.utf8)) }
        started = clock.now
        state = Mutex(State(lastOutput: started))
    }

    /// Whether `--color auto` paints: `FORCE_COLOR` (set, not `0`) says yes anywhere; else only on a
    /// terminal that is not `TERM=dumb`, and never when `NO_COLOR` is set.
    public static func colorsWanted(terminal: Bool, environment: [String: String]) -> Bool {
        if let force = environment["FORCE_COLOR"], !force.isEmpty, force != "0" { return true }
        return terminal && environment["TERM"] != "dumb" && (environment["NO_COLOR"] ?? "").isEmpty
    }

    /// Redraws the status line (on a terminal) or prints a "still running" line after a silent minute
    /// (elsewhere) until the task is cancelled. Run it in a task group next to the run.
    public func animate() async {
        guard verbosity != .quiet else { return }
        while !Task.isCancelled {
            do { try await Task.sleep(for: statusLine ? .milliseconds(125) : .seconds(5)) } catch { return }
            tick()
        }
    }

    /// One step of ``animate()``.
    func tick() {
        state.withLock { state in
            guard !state.finished else { return }
            if statusLine {
                state.frame += 1
                emit([], &state)
            } else if clock.now - state.lastOutput >= heartbeat {
                emit(["  … still running: \(progressText(state))"], &state)
            }
        }
    }

    public func handle(_ event: RunEvent) {
        if verbosity == .quiet {
            // Quiet still says why a run errored: its run errors' key lines, then the verdict line.
            if case .runFinished(let report) = event {
                var lines: [String] = []
                if report.verdict == .error {
                    for error in report.errors.prefix(5) {
                        let key = ReportText.keyLines(error.message, limit: 1, width: 200).first ?? ""
                        lines.append("\(badge(.error)) \(TerminalText.line(error.phase)): \(key)")
                    }
                    for scenario in report.scenarios where scenario.verdict == .error {
                        let key = ReportText.keyLines(scenario.message ?? "", limit: 1, width: 200).first ?? ""
                        lines.append("\(badge(.error)) \(TerminalText.line(scenario.id)): \(key)")
                    }
                }
                state.withLock { emit(lines + [finalLine(report)], &$0) }
            }
            return
        }
        state.withLock { state in emit(lines(for: event, &state), &state) }
    }

    // MARK: - Lines

    private func lines(for event: RunEvent, _ state: inout State) -> [String] {
        switch event {
        case .runStarted(let runID, let scopeID, let scenarios):
            state.total = scenarios
            return [
                "taas: running \(TerminalText.line(scopeID)) (\(ReportText.count(scenarios, "scenario")), run \(TerminalText.line(runID)))"
            ]
        case .phaseStarted(let phase):
            state.phase = phase
            state.activity = nil
            if phase == .reporting { state.reportingSince = clock.now }
            return phase == .reporting ? [] : [paint("• \(phase.rawValue)", "2") + paint(" (at \(elapsed()))", "2")]
        case .stepFinished(let phase, let index, let result):
            let verdict: Verdict = result.succeeded ? .pass : .error
            var lines = [
                "  \(badge(verdict)) \(phase.rawValue) \(index + 1): \(TerminalText.line(result.command)) (\(ReportText.duration(result.durationMS)))"
            ]
            if !result.succeeded, let message = result.message { lines += Self.indented(message) }
            if verbosity == .verbose { lines += output(result.output) }
            return lines
        case .serviceReady(let service):
            if service.ready {
                return [
                    "  \(badge(.pass)) service \(TerminalText.line(service.name)) ready after \(ReportText.duration(service.readyAfterMS ?? 0))"
                ]
            }
            // A service that exited or never got ready usually says why (`No module named …`, the
            // port it really listens on): the tail of its output goes under the error.
            let said = ReportText.lastLines(of: service.output, count: 8)
            return [
                "  \(badge(.error)) service \(TerminalText.line(service.name)): \(TerminalText.line(service.message ?? "not ready"))"
            ]
                + (said.isEmpty
                    ? ["       (it printed nothing)"] : ["       its output ended with:"] + Self.indented(said))
        case .note(let text):
            return ["  \(TerminalText.line(text))"]
        case .progress(let text):
            state.activity = text
            return verbosity == .verbose && !statusLine ? ["  \(TerminalText.line(text))"] : []
        case .attemptStarted(let scenarioID, let attempt):
            state.running.removeAll { $0.scenarioID == scenarioID }
            state.running.append(Running(scenarioID: scenarioID, attempt: attempt, since: clock.now))
            return verbosity == .verbose ? [paint("  → \(TerminalText.line(scenarioID)) attempt \(attempt)", "2")] : []
        case .attemptFinished(let scenarioID, let attempt):
            state.running.removeAll { $0.scenarioID == scenarioID }
            guard verbosity == .verbose else { return [] }
            var note = attempt.exitCode.map { "exit code \($0)" } ?? "no exit code"
            if attempt.timedOut { note += ", timed out" }
            var lines = [
                "  \(badge(attempt.verdict)) \(TerminalText.line(scenarioID)) attempt \(attempt.number): \(note) (\(ReportText.duration(attempt.durationMS)))"
            ]
            lines += output(attempt.output)
            return lines
        case .scenarioFinished(let scenario):
            state.done += 1
            state.running.removeAll { $0.scenarioID == scenario.id }
            let cases = scenario.cases.isEmpty ? "" : ", \(ReportText.count(scenario.cases.count, "case"))"
            let attempts = scenario.attempts.count > 1 ? ", \(scenario.attempts.count) attempts" : ""
            let flaky = scenario.flaky ? paint(" flaky", "33") : ""
            var lines = [
                "  \(badge(scenario.verdict)) [\(state.done)/\(state.total)] \(TerminalText.line(scenario.id)) (\(TerminalText.line(scenario.type))\(cases)\(attempts), "
                    + "\(ReportText.duration(scenario.durationMS)))\(flaky)"
            ]
            if scenario.verdict != .pass, let message = scenario.message { lines += Self.indented(message) }
            for failed in scenario.cases where failed.verdict == .fail || failed.verdict == .error {
                let first = ReportText.keyLines(failed.message ?? "", limit: 1, width: 160).first ?? ""
                let location = ReportText.location(in: failed.message ?? "").map { " (\(TerminalText.line($0)))" } ?? ""
                lines.append(
                    "       \(paint("✗", "31")) \(TerminalText.line(FailureDigest.caseName(failed)))\(location): \(first)"
                )
            }
            return lines
        case .runFinished(let report):
            state.finished = true
            var lines: [String] = []
            let digest = FailureDigest(report, lines: 3)
            if report.verdict != .pass && !digest.isEmpty { lines += digestLines(digest) }
            if verbosity == .verbose, let timing = report.timing {
                lines += timingLines(timing, reportFiles: state.reportingSince.map { clock.now - $0 })
            }
            lines.append(finalLine(report))
            return lines
        }
    }

    /// "What failed", with the key lines of each failure.
    private func digestLines(_ digest: FailureDigest) -> [String] {
        var lines = [paint("What failed:", "1")]
        for error in digest.runErrors {
            lines.append("  \(badge(.error)) \(TerminalText.line(error.phase))")
            lines += ReportText.keyLines(error.message, limit: 3, width: 200).map { "       " + $0 }
        }
        for entry in digest.entries.prefix(20) {
            lines.append("  \(badge(entry.verdict)) \(TerminalText.line(entry.title))")
            lines += entry.lines.map { "       " + paint($0, "2") }
        }
        if digest.entries.count > 20 { lines.append("  … and \(digest.entries.count - 20) more in the report") }
        if digest.skipped > 0 {
            lines.append("  \(badge(.skipped)) \(ReportText.count(digest.skipped, "scenario")) not run")
        }
        return lines
    }

    /// Where the time went (`--verbose`): each phase's start and duration, by start, and the report
    /// files' writing, which report.json cannot hold, as this console saw it.
    private func timingLines(_ timing: RunTiming, reportFiles: Duration?) -> [String] {
        let origin = timing.origin == "process" ? "since taas started" : "since the run started"
        var lines = [paint("Timing (ms \(origin); phases may overlap):", "1")]
        func line(start: Double?, duration: Double, _ name: String) -> String {
            paint("  \(Self.column(start))  +\(Self.column(duration))  \(name)", "2")
        }
        for phase in timing.phases { lines.append(line(start: phase.startMS, duration: phase.durationMS, phase.name)) }
        if let reportFiles {
            lines.append(
                line(
                    start: nil,
                    duration: DurationText.fractionalMilliseconds(reportFiles),
                    "reporting (the report files, as this console saw it)"
                )
            )
        }
        return lines
    }

    /// `    12.3`: milliseconds with one decimal, right-aligned in 8 columns (blank for `nil`),
    /// formatted without Foundation's locale machinery.
    private static func column(_ milliseconds: Double?) -> String {
        let text = milliseconds.map { value in
            let tenths = Int((value * 10).rounded())
            return "\(tenths / 10).\(abs(tenths % 10))"
        }
        return String(repeating: " ", count: max(0, 8 - (text?.count ?? 0))) + (text ?? "")
    }

    /// A step's output tails, each line marked with its stream.
    private func output(_ output: RecordedOutput) -> [String] {
        var lines: [String] = []
        for (tail, mark) in [(output.stdoutTail, "│"), (output.stderrTail, paint("┃", "31"))] where !tail.isEmpty {
            for line in ReportText.clean(tail).split(separator: "\n", omittingEmptySubsequences: false).dropLast(
                tail.hasSuffix("\n") ? 1 : 0
            ) {
                lines.append("      \(mark) \(line)")
            }
        }
        return lines
    }

    private func finalLine(_ report: TaaSReport) -> String {
        let s = report.summary
        var parts = ["\(s.passed) passed", "\(s.failed) failed"]
        if s.errored > 0 { parts.append("\(s.errored) errored") }
        if s.skipped > 0 { parts.append("\(s.skipped) skipped") }
        if s.flaky > 0 { parts.append("\(s.flaky) flaky") }
        let cases = s.cases.total > 0 ? "; cases: \(s.cases.passed)/\(s.cases.total) passed" : ""
        return
            "\(badge(report.verdict)) \(TerminalText.line(report.scopeID)): \(parts.joined(separator: ", "))\(cases) in "
            + "\(ReportText.duration(report.durationMS)) — report: \(reportPath)"
    }

    // MARK: - Status line and output

    /// Writes lines above the status line and redraws it, in one write.
    private func emit(_ lines: [String], _ state: inout State) {
        var text = ""
        if state.statusVisible { text += "\r\u{1B}[2K" }
        // The last net: whatever a line holds, only taas's own colours survive (see TerminalText).
        for line in lines { text += TerminalText.clean(line, keepingStyles: colors) + "\n" }
        if !lines.isEmpty { state.lastOutput = clock.now }
        state.statusVisible = false
        if statusLine && !state.finished && state.phase != nil {
            let spinner = Self.spinner[state.frame % Self.spinner.count]
            text += paint(Self.fit("\(spinner) \(progressText(state))", width: Self.terminalWidth() - 1), "36")
            state.statusVisible = true
        }
        if !text.isEmpty { write(text) }
    }

    /// `scenarios · 2/5 done · 12.3s · running UNIT-001 (attempt 2, 3.1s)`.
    private func progressText(_ state: State) -> String {
        var text = "\(state.phase?.rawValue ?? "starting") · \(state.done)/\(state.total) scenarios done · \(elapsed())"
        if let activity = state.activity { text += " · " + TerminalText.line(activity) }
        if !state.running.isEmpty {
            let now = clock.now
            let running = state.running.map { run in
                let attempt = run.attempt > 1 ? "attempt \(run.attempt), " : ""
                return "\(run.scenarioID) (\(attempt)\(DurationText.describe(now - run.since)))"
            }
            text += " · running " + running.joined(separator: ", ")
        }
        return text
    }

    private func elapsed() -> String {
        DurationText.describe(clock.now - started)
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

    /// A message from the sandbox as console lines: cleaned, each line indented under its scenario
    /// (so that no line of it can pass for one of taas's own), at most 20 lines.
    static func indented(_ message: String) -> [String] {
        let lines = TerminalText.clean(message).split(separator: "\n", omittingEmptySubsequences: true)
            .map { "       " + String($0).replacingOccurrences(of: "\t", with: " ") }
        return lines.count > 20
            ? Array(lines.prefix(20)) + ["       … (\(lines.count - 20) more lines in the report)"] : lines
    }

    /// A line cut to the terminal's width, so that redrawing it never wraps.
    static func fit(_ text: String, width: Int) -> String {
        ReportText.cut(text, width: max(20, width))
    }

    private static func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
    }
}
