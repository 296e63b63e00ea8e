import ArgumentParser
import Foundation
import TaaSCore
import TaaSEngine
import TaaSIntegrity
import TaaSReporting
import TaaSShiftRight
import TaaSTelemetry

/// `taas replay RECORDING.har --scope SCOPE --service NAME`: replays recorded traffic against a
/// scope's service in its sandbox and compares every answer with the recorded one.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay recorded HTTP traffic (a HAR file) against a scope's service and compare the answers.",
        discussion: """
            The scope's setup and services run in its sandbox exactly as with `taas run`; each recorded request is \
            sent to the service named by --service (the recording's scheme, host and port replaced by those of \
            the service's ready.http URL, or 127.0.0.1 and its ready.tcp port), in recorded order (--concurrency \
            N sends N at once). Each answer is compared with the recorded one: the status, the headers of \
            --noise (Content-Type by default), JSON bodies path by path, other bodies as text.

            Each request is sent twice: whatever differs between the two answers is noise for its route \
            (method and path with ids as {id}) and is not compared. Timestamps, UUIDs and long hex ids are \
            masked by default; --noise RULES.json ignores paths, masks values, compares arrays in any order \
            and chooses headers (see docs/replay.md).

            Writes OUT/report.json (a scenario per exchange, REPLAY-0001-GET-orders …) and the other report \
            files and OUT/trace.json as `taas run` does (--otlp-endpoint exports the trace), and \
            OUT/replay.json: every difference and the noise found per route.
            The scope's lock is checked as `taas run` checks it. A replay never changes the scope.
            Exit codes: 0 every answer matches, 1 a difference, 2 error (an unreadable recording or noise \
            rules, an unknown service, a broken sandbox), 3 invalid scope.
            """
    )

    @Argument(help: "The recording: a HAR 1.2 file (mitmdump --set hardump=FILE, a browser's export).")
    var recording: String

    @Option(
        help: "The TestScope file (JSON or YAML), or a folder with a scope.json or scope.yaml, whose services run.",
        completion: .file(extensions: ["json", "yaml", "yml"])
    )
    var scope: String

    @Option(help: "The scope's service the requests are sent to.")
    var service: String

    @Option(help: ArgumentHelp("Noise rules: paths to ignore, masks, unordered arrays, headers.", valueName: "file"))
    var noise: String?

    @Option(help: "How many recorded requests are replayed at once (1: in recorded order).")
    var concurrency: Int = 1

    @Option(help: ArgumentHelp("The most seconds one exchange (both sends) may take.", valueName: "seconds"))
    var timeout: Int = 60

    @Option(help: "The folder copied into the sandbox (default: the scope file's folder).")
    var workspace: String?

    @Option(name: .shortAndLong, help: "Where to write report.json, replay.json, the other report files and logs/.")
    var out: String = "taas-replay"

    @OptionGroup var sandboxOptions: SandboxOptions

    @Option(
        help: ArgumentHelp(
            "The report files to write, comma-separated: json, junit, html, md (report.json is always written).",
            valueName: "formats"
        )
    )
    var reportFormat: String = "json,junit,html,md"

    @OptionGroup var lockOptions: LockOptions

    @Flag(name: .shortAndLong, help: "Print only the final verdict line (and, when the run errored, why).")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print each exchange's transcript right after it ends.")
    var verbose = false

    @OptionGroup var telemetry: TelemetryOptions

    func validate() throws {
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1, not \(concurrency)") }
        guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1 (second), not \(timeout)") }
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
        do { _ = try ReportFormat.list(reportFormat) } catch { throw ValidationError("--report-format: \(error)") }
    }

    /// What the recording, the rules and the scope make: the replay's plan and rules.
    private func plan(for loaded: TestScope) throws -> (plan: ReplayPlan, rules: NoiseRules) {
        do {
            let rules = try noise.map { path throws(ReplayError) in try NoiseRules.load(from: path) } ?? .standard
            let exchanges = try HAR.load(from: recording).exchanges(file: recording)
            let plan = try ReplayPlan(
                scope: loaded,
                exchanges: exchanges,
                service: service,
                timeout: .seconds(timeout)
            )
            return (plan, rules)
        } catch let error as ReplayError {
            throw CommandOutcome.error("taas: replay: \(error.message)")
        } catch let error as RecordingError {
            throw CommandOutcome.error("taas: replay: \(error)")
        }
    }

    func run() async throws {
        let (loaded, warnings) = try ScopeLoading.load(scope)
        ScopeLoading.printWarnings(warnings)
        let (plan, rules) = try plan(for: loaded)
        var request = RunRequest(
            scopeFile: try ScopeFile.locate(URL(fileURLWithPath: scope)),
            workspace: workspace.map { URL(fileURLWithPath: $0) },
            outputDirectory: URL(fileURLWithPath: out),
            lock: lockOptions.policy
        )
        request.options.jobs = concurrency
        sandboxOptions.apply(to: &request.options)
        request.options.reportFormats = try ReportFormat.list(reportFormat)
        let environment = ProcessInfo.processInfo.environment
        request.options.trace = TraceContext.joining(environment)
        request.options.telemetry = telemetry.recorder(environment: environment)
        // The lock is checked against the scope as written, as `taas run` checks it.
        let prepared = try Judge.prepare(loaded, request)
        if sandboxOptions.choosesUnsafeSandbox {
            ScopeLoading.printError(
                "taas: WARNING: --unsafe-local: the scope's commands run as plain host processes, with no sandbox"
            )
        }
        if !quiet {
            Self.say("replaying \(plan.items.count) requests of \(recording) against \(plan.target)")
        }
        let reportPath = request.options.outputDirectory
            .appendingPathComponent(request.options.reportFormats.contains(.html) ? "report.html" : "report.json").path
        let console = ConsoleReporter(verbosity: quiet ? .quiet : verbose ? .verbose : .normal, reportPath: reportPath)
        let interruption = RunInterruption()
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { signal in
            interruption.interrupt(reason: signal == SIGINT ? "SIGINT" : "SIGTERM")
        }
        defer { signals.cancel() }
        let finished = await withTaskGroup(of: Result<ReplayOutcome, any Error>?.self) { group in
            group.addTask {
                await console.animate()
                return nil
            }
            group.addTask {
                do {
                    return .success(
                        try await Replay.run(
                            plan,
                            prepared: prepared,
                            rules: rules,
                            recording: recording,
                            observer: console,
                            interruption: interruption
                        )
                    )
                } catch {
                    return .failure(error)
                }
            }
            var finished: Result<ReplayOutcome, any Error>?
            while let result = await group.next() {
                if let result {
                    finished = result
                    group.cancelAll()
                }
            }
            return finished!
        }
        let outcome: ReplayOutcome
        do { outcome = try finished.get() } catch let error as ReplayError {
            throw CommandOutcome.error("taas: replay: \(error.message)")
        }
        if !quiet { Self.say(Self.summary(of: outcome.document, file: outcome.documentFile.path)) }
        throw CommandOutcome.verdict(outcome.report.verdict)
    }

    /// Writes a line to standard output unbuffered, as the console does, so that the lines keep
    /// their order when the output is a file or a pipe.
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// `replay: 5 exchanges, 4 passed, 1 failed (taas-replay/replay.json)` and the noise per route.
    static func summary(of document: ReplayDocument, file: String) -> String {
        var lines = [
            "replay: \(document.summary.exchanges) exchanges, \(document.summary.passed) passed, "
                + "\(document.summary.failed) failed"
                + (document.summary.notReplayed > 0 ? ", \(document.summary.notReplayed) not replayed" : "")
                + " (\(file))"
        ]
        for route in document.routes where !route.noise.isEmpty {
            lines.append("  noise of \(route.route): \(route.noise.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }
}
