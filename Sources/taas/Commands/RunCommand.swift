import ArgumentParser
import Dispatch
import Foundation
import TaaSCore
import TaaSEngine
import TaaSHealer
import TaaSIntegrity
import TaaSReporting
import TaaSTelemetry

/// `taas run SCOPE`: runs a scope in a sandbox and writes its report.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a TestScope in a sandbox and write its report.",
        discussion: """
            The workspace (default: the scope file's folder) is copied into the sandbox; nothing the scope runs \
            can change your files. The sandbox is chosen from the scope's environment.type (jail when absent) \
            unless --sandbox says otherwise.

            Writes OUT/report.json (always: it is the record), OUT/trace.json (the run as an OpenTelemetry \
            trace; `taas trace` prints it, --otlp-endpoint or OTEL_EXPORTER_OTLP_ENDPOINT exports it), the formats of --report-format (default: \
            OUT/junit.xml, OUT/report.html and OUT/summary.md), and OUT/logs/ (every step's full output). \
            `taas report OUT/report.json --format F` renders any format again later.

            When the scope has a lock (SCOPE.lock.json, made by `taas lock`), the scope and its test files are \
            checked against it before anything runs; any difference is verdict error and nothing runs.
            --cache answers a run whose inputs are identical to an earlier clean run with that run's report.
            --sign KEY adds an Ed25519 signature that `taas verify` checks.
            Exit codes: 0 pass, 1 fail, 2 error, 3 invalid scope.
            """
    )

    /// The sandboxes `--sandbox` chooses from.
    static let sandboxes = SandboxOptions.sandboxes

    @Argument(
        help: "The TestScope file (JSON or YAML), or a folder with a scope.json or scope.yaml.",
        completion: .file(extensions: ["json", "yaml", "yml"])
    )
    var scope: String

    @Option(help: "The folder copied into the sandbox (default: the scope file's folder).")
    var workspace: String?

    @Option(name: .shortAndLong, help: "Where to write report.json, the other report files and logs/.")
    var out: String = "taas-out"

    @OptionGroup var sandboxOptions: SandboxOptions

    @Option(name: .shortAndLong, help: "How many scenarios may run at once.")
    var jobs: Int = 1

    @Option(
        name: .customLong("scenario"),
        help: ArgumentHelp(
            "Run only the scenarios whose id matches this glob (*, ?, [...]); repeatable.",
            valueName: "id"
        )
    )
    var scenarios: [String] = []

    @Option(
        name: .customShort("k"),
        help: ArgumentHelp(
            "Run only the scenarios matching this pytest-style expression over ids and types "
                + "(substrings joined by and, or, not and parentheses: -k \"api and not slow\").",
            valueName: "expression"
        )
    )
    var keyword: String?

    @Flag(
        name: [.customShort("x"), .long],
        help: "Stop starting scenarios after the first one that fails or errors; the rest are skipped, teardown runs."
    )
    var failFast = false

    @Flag(
        help:
            "Run only the scenarios that failed or errored in the last report.json in --out (all of them when none did)."
    )
    var rerunFailed = false

    /// When the console paints its verdicts.
    enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

    @Option(
        help: ArgumentHelp(
            "Colours on the console: auto (a terminal that is not TERM=dumb, without NO_COLOR; FORCE_COLOR forces "
                + "them), always or never.",
            valueName: "when"
        )
    )
    var color: ColorChoice = .auto

    @Flag(name: .shortAndLong, help: "Print only the final verdict line (and, when the run errored, why).")
    var quiet = false

    @Flag(
        name: .shortAndLong,
        help:
            "Also print each step's and attempt's output (its last 4 KiB) right after it ends, and at the end where the run's time went (the report's timing)."
    )
    var verbose = false

    @Option(
        help: ArgumentHelp(
            "The report files to write, comma-separated: json, junit, html, md (report.json is always written).",
            valueName: "formats"
        )
    )
    var reportFormat: String = "json,junit,html,md"

    @Option(
        help: ArgumentHelp(
            "Write machine-readable progress events as JSON lines to this file ('-' for standard error).",
            valueName: "file"
        )
    )
    var events: String?

    @OptionGroup var lockOptions: LockOptions

    @Flag(help: "A case that is not in the lock's test ledger is an error (by default it is reported as unlisted).")
    var strictLedger = false

    @Flag(
        help:
            "Serve the report of an earlier clean run with identical inputs instead of running (see docs/integrity.md: the verdict cache)."
    )
    var cache = false

    @Option(
        help: ArgumentHelp("Sign report.json with this Ed25519 private key (from `taas keygen`).", valueName: "key")
    )
    var sign: String?

    @Flag(
        help:
            "When the run does not pass (or a scenario passed only on retry), write OUT/diagnosis.json and a Diagnosis section (see `taas diagnose`)."
    )
    var diagnose = false

    @Option(help: ArgumentHelp("Submit the run to a Fabric (taas serve) instead of running it here.", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("The Fabric's bearer token (default: TAAS_TOKEN).", valueName: "token"))
    var token: String?

    @Option(help: ArgumentHelp("A label for the run on the Fabric (repeatable).", valueName: "key=value"))
    var label: [String] = []

    @Option(
        help: ArgumentHelp(
            "With --server: labels the worker that runs it must have, such as docker=true (repeatable, or k=v,k=v).",
            valueName: "key=value"
        )
    )
    var requires: [String] = []

    @OptionGroup var telemetry: TelemetryOptions

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
        do { _ = try ReportFormat.list(reportFormat) } catch { throw ValidationError("--report-format: \(error)") }
        if let keyword {
            do { _ = try KeywordExpression(keyword) } catch { throw ValidationError("-k: \(error)") }
        }
    }

    /// The request `taas run` makes of the library.
    private func request() throws -> RunRequest {
        var request = RunRequest(
            scopeFile: try ScopeFile.locate(URL(fileURLWithPath: scope)),
            workspace: workspace.map { URL(fileURLWithPath: $0) },
            outputDirectory: URL(fileURLWithPath: out),
            lock: lockOptions.policy,
            signingKey: sign.map { URL(fileURLWithPath: $0) }
        )
        request.options.jobs = jobs
        sandboxOptions.apply(to: &request.options)
        request.options.strictLedger = strictLedger
        if cache {
            request.options.verdictCache = VerdictCache(
                root: request.options.cacheDirectory.appendingPathComponent(CacheLocation.verdictsFolder)
            )
        }
        request.options.reportFormats = try ReportFormat.list(reportFormat)
        request.options.selection = try selection(outputDirectory: request.options.outputDirectory)
        let environment = ProcessInfo.processInfo.environment
        request.options.trace = TraceContext.joining(environment)
        request.options.telemetry = telemetry.recorder(environment: environment)
        request.options.processStartedAt = ProcessStart.instant
        return request
    }

    /// The scenarios chosen on the command line; `nil` runs the whole scope.
    private func selection(outputDirectory: URL) throws -> ScenarioSelection? {
        guard !scenarios.isEmpty || keyword != nil || failFast || rerunFailed else { return nil }
        var selection = ScenarioSelection(
            patterns: scenarios,
            keyword: try keyword.map { try KeywordExpression($0) },
            failFast: failFast
        )
        if rerunFailed {
            let failures = try Judge.lastFailures(in: outputDirectory)
            if failures.scenarioIDs.isEmpty, !quiet {
                ScopeLoading.printError(
                    "taas: --rerun-failed: nothing failed in run \(failures.runID); running every selected scenario"
                )
            }
            selection.rerun = failures
        }
        return selection
    }

    /// The console for people, as `--quiet`, `--verbose` and `--color` ask.
    func console(reportPath: String) -> ConsoleReporter {
        ConsoleReporter(
            verbosity: quiet ? .quiet : verbose ? .verbose : .normal,
            reportPath: reportPath,
            colors: color == .always ? true : color == .never ? false : nil
        )
    }

    /// The console and, with `--events`, the event stream.
    func observers(console: ConsoleReporter) throws -> [any RunObserver] {
        var observers: [any RunObserver] = [console]
        guard let events else { return observers }
        if events == "-" {
            observers.append(EventStream(handle: .standardError))
        } else if events.hasPrefix("/dev/") || FileManager.default.createFile(atPath: events, contents: nil),
            let handle = FileHandle(forWritingAtPath: events)
        {
            // A new file is created empty; a device such as /dev/fd/3 is written as it is.
            observers.append(EventStream(handle: handle))
        } else {
            throw CommandOutcome.error("taas: cannot write events to \(events)")
        }
        return observers
    }

    func run() async throws {
        let (loaded, warnings) = try ScopeLoading.load(scope)
        ScopeLoading.printWarnings(warnings)
        if let server {
            try await runOnServer(server, scope: loaded)
            return
        }
        let request = try request()
        let prepared = try Judge.prepare(loaded, request)
        if sandboxOptions.choosesUnsafeSandbox {
            ScopeLoading.printError(
                "taas: WARNING: --unsafe-local: the scope's commands run as plain host processes, with no sandbox"
            )
        }
        if prepared.lockCheck.status == .skipped, let lockFile = prepared.lockCheck.lockFile {
            ScopeLoading.printError(
                "taas: WARNING: --no-lock: the lock \(lockFile) is NOT checked; the report records it"
            )
        }
        // The page for people when it is written, else the record.
        let reportPath = request.options.outputDirectory
            .appendingPathComponent(request.options.reportFormats.contains(.html) ? "report.html" : "report.json").path
        let console = console(reportPath: reportPath)
        let observer = ObserverGroup(try observers(console: console))
        let interruption = RunInterruption()
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { signal in
            interruption.interrupt(reason: signal == SIGINT ? "SIGINT" : "SIGTERM")
        }
        defer { signals.cancel() }
        let finished = await withTaskGroup(of: Result<RunOutcome, RunRequestError>?.self) { group in
            group.addTask {
                await console.animate()
                return nil
            }
            group.addTask {
                do throws(RunRequestError) {
                    return .success(try await prepared.run(observer: observer, interruption: interruption))
                } catch {
                    return .failure(error)
                }
            }
            var finished: Result<RunOutcome, RunRequestError>?
            while let result = await group.next() {
                if let result {
                    finished = result
                    group.cancelAll()
                }
            }
            return finished!
        }
        let outcome = try finished.get()
        if let key = outcome.signedBy, !quiet { print("signed \(outcome.reportFile.path) with key \(key)") }
        if diagnose, outcome.report.verdict != .pass || outcome.report.summary.flaky > 0 {
            do {
                let diagnosis = try await Healer.diagnose(
                    reportFile: outcome.reportFile,
                    workspace: request.options.workspace,
                    scopeFile: request.scopeFile
                )
                if !quiet { DiagnoseCommand.printItems(diagnosis) }
            } catch {
                ScopeLoading.printError("taas: --diagnose: \(error.message)")
            }
        }
        throw CommandOutcome.verdict(outcome.report.verdict)
    }
}

/// Turns SIGINT and SIGTERM into a callback instead of the default immediate exit, so that the run
/// can stop its scenarios, run teardown and write its report.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
