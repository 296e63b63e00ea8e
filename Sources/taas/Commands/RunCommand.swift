import ArgumentParser
import Crypto
import Dispatch
import Foundation
import TaaSCore
import TaaSDocker
import TaaSEngine
import TaaSIntegrity
import TaaSReporting
import TaaSSandboxes

/// `taas run SCOPE`: runs a scope in a sandbox and writes its report.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a TestScope in a sandbox and write its report.",
        discussion: """
            The workspace (default: the scope file's folder) is copied into the sandbox; nothing the scope runs \
            can change your files. The sandbox is chosen from the scope's environment.type (jail when absent) \
            unless --sandbox says otherwise.

            Writes OUT/report.json (always: it is the record), the formats of --report-format (default: \
            OUT/junit.xml, OUT/report.html and OUT/summary.md), and OUT/logs/ (every step's full output). \
            `taas report OUT/report.json --format F` renders any format again later.

            When the scope has a lock (SCOPE.lock.json, made by `taas lock`), the scope and its test files are \
            checked against it before anything runs; any difference is verdict error and nothing runs.
            --cache answers a run whose inputs are identical to an earlier clean run with that run's report.
            --sign KEY adds an Ed25519 signature that `taas verify` checks.
            Exit codes: 0 pass, 1 fail, 2 error, 3 invalid scope.
            """
    )

    enum SandboxKind: String, ExpressibleByArgument, CaseIterable {
        case jail, venv, docker, local
    }

    @Argument(help: "The TestScope JSON file.")
    var scope: String

    @Option(help: "The folder copied into the sandbox (default: the scope file's folder).")
    var workspace: String?

    @Option(name: .shortAndLong, help: "Where to write report.json, the other report files and logs/.")
    var out: String = "taas-out"

    @Option(help: "The sandbox: jail, venv, docker or local (default: the scope's environment.type).")
    var sandbox: SandboxKind?

    @Flag(
        help: "Allow the local sandbox: steps run as plain host processes, with no isolation. Without --sandbox, runs in it.")
    var unsafeLocal = false

    @Flag(help: "Never pull container images from a registry (docker).")
    var offline = false

    @Option(help: "Container memory limit in MiB (docker; default: the scope's environment.limits, else 1024).")
    var memory: Int?

    @Option(help: "Container process limit (docker; default: the scope's environment.limits, else 256).")
    var pids: Int?

    @Option(help: "Container CPU limit (docker; default: the scope's environment.limits, else 2).")
    var cpus: Double?

    @Option(name: .shortAndLong, help: "How many scenarios may run at once.")
    var jobs: Int = 1

    @Option(help: "Where virtualenvs and the sandbox agent are cached (default: TAAS_CACHE_DIR, or a per-user cache).")
    var cacheDir: String?

    @Flag(name: .shortAndLong, help: "Print only the final verdict line.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print each step's and attempt's output (its last 4 KiB) right after it ends.")
    var verbose = false

    @Option(
        help: ArgumentHelp(
            "The report files to write, comma-separated: json, junit, html, md (report.json is always written).",
            valueName: "formats"))
    var reportFormat: String = "json,junit,html,md"

    @Option(
        help: ArgumentHelp(
            "Write machine-readable progress events as JSON lines to this file ('-' for standard error).",
            valueName: "file"))
    var events: String?

    @Option(help: ArgumentHelp("The lock to check (default: SCOPE.lock.json beside the scope, when it exists).", valueName: "file"))
    var lock: String?

    @Flag(help: "Do not check the scope's lock (recorded in the report as lock_status \"skipped\").")
    var noLock = false

    @Flag(help: "A scope without a lock is an error (for orchestrators that always lock the law).")
    var requireLock = false

    @Flag(help: "A case that is not in the lock's test ledger is an error (by default it is reported as unlisted).")
    var strictLedger = false

    @Flag(help: "Serve the report of an earlier clean run with identical inputs instead of running (see README: verdict cache).")
    var cache = false

    @Option(help: ArgumentHelp("Sign report.json with this Ed25519 private key (from `taas keygen`).", valueName: "key"))
    var sign: String?

    func validate() throws {
        if noLock && (lock != nil || requireLock) { throw ValidationError("--no-lock cannot be used with --lock or --require-lock") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
        if let memory, memory < 16 { throw ValidationError("--memory must be at least 16 (MiB), not \(memory)") }
        if let pids, pids < 8 { throw ValidationError("--pids must be at least 8, not \(pids)") }
        if let cpus, cpus < 0.01 { throw ValidationError("--cpus must be at least 0.01, not \(cpus)") }
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together") }
        do { _ = try ReportFormat.list(reportFormat) } catch { throw ValidationError("--report-format: \(error)") }
        if sandbox == .local && !unsafeLocal {
            throw ValidationError("--sandbox local runs steps as plain host processes; add --unsafe-local to allow it")
        }
    }

    /// The scope's limits, overridden by the command line's.
    private func containerLimits(_ scope: TestScope) -> ContainerLimits {
        var limits = ContainerLimits(scope: scope.environment.limits)
        if let memory { limits.memoryMB = memory }
        if let pids { limits.pids = pids }
        if let cpus { limits.cpus = cpus }
        return limits
    }

    func run() async throws {
        let (loaded, warnings) = try ScopeLoading.load(scope)
        ScopeLoading.printWarnings(warnings)
        let scopeURL = URL(fileURLWithPath: scope).standardizedFileURL
        let workspaceURL = workspace.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? scopeURL.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: workspaceURL.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            ScopeLoading.printError("taas: the workspace \(workspaceURL.path) is not a folder")
            throw ExitCode(ExitCodes.error)
        }
        let outURL = URL(fileURLWithPath: out).standardizedFileURL
        var chosen: (any Sandbox)?
        if sandbox == .local || (sandbox == nil && unsafeLocal) {
            chosen = LocalSandbox()
            ScopeLoading.printError("taas: WARNING: --unsafe-local: the scope's commands run as plain host processes, with no sandbox")
        } else if let sandbox {
            chosen = SandboxChoice.sandbox(
                for: Environment.Kind(rawValue: sandbox.rawValue)!, limits: containerLimits(loaded), offline: offline)
        } else if loaded.environment.type == .docker {
            chosen = SandboxChoice.sandbox(for: .docker, limits: containerLimits(loaded), offline: offline)
        }
        let signingKey: Curve25519.Signing.PrivateKey?
        do { signingKey = try sign.map { path throws(IntegrityError) in try SigningKeys.readPrivateKey(at: URL(fileURLWithPath: path)) } } catch {
            ScopeLoading.printError("taas: \(error.message)")
            throw ExitCode(ExitCodes.error)
        }
        var options = RunOptions(
            workspace: workspaceURL, outputDirectory: outURL, sandbox: chosen, jobs: jobs,
            allowUnsafeLocal: unsafeLocal)
        options.offline = offline
        if let cacheDir { options.cacheDirectory = URL(fileURLWithPath: cacheDir).standardizedFileURL }
        options.lockCheck = try checkLock(loaded, scopeURL: scopeURL, workspace: workspaceURL)
        options.strictLedger = strictLedger
        if cache {
            options.verdictCache = VerdictCache(root: options.cacheDirectory.appendingPathComponent(CacheLocation.verdictsFolder))
        }
        let formats = try ReportFormat.list(reportFormat)
        options.reportFormats = formats
        // The page for people when it is written, else the record.
        let reportPath = outURL.appendingPathComponent(formats.contains(.html) ? "report.html" : "report.json").path
        let console = ConsoleReporter(verbosity: quiet ? .quiet : verbose ? .verbose : .normal, reportPath: reportPath)
        var observers: [any RunObserver] = [console]
        if let events {
            if events == "-" {
                observers.append(EventStream(handle: .standardError))
            } else if events.hasPrefix("/dev/") || FileManager.default.createFile(atPath: events, contents: nil),
                let handle = FileHandle(forWritingAtPath: events)
            {
                // A new file is created empty; a device such as /dev/fd/3 is written as it is.
                observers.append(EventStream(handle: handle))
            } else {
                ScopeLoading.printError("taas: cannot write events to \(events)")
                throw ExitCode(ExitCodes.error)
            }
        }
        let interruption = RunInterruption()
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { signal in
            interruption.interrupt(reason: signal == SIGINT ? "SIGINT" : "SIGTERM")
        }
        defer { signals.cancel() }
        let harness = Harness(options: options)
        let observer = ObserverGroup(observers)
        let report = await withTaskGroup(of: TaaSReport?.self) { group in
            group.addTask { await console.animate(); return nil }
            group.addTask { await harness.execute(loaded, observer: observer, interruption: interruption) }
            var report: TaaSReport?
            while let finished = await group.next() {
                if let finished {
                    report = finished
                    group.cancelAll()
                }
            }
            return report!
        }
        if let signingKey {
            let recordPath = outURL.appendingPathComponent("report.json").path
            do {
                let url = URL(fileURLWithPath: recordPath)
                let data = try Data(contentsOf: url)
                try ReportSignature.sign(data, with: signingKey).write(to: url, options: .atomic)
                if !quiet { print("signed \(recordPath) with key \(SigningKeys.keyID(signingKey.publicKey))") }
            } catch {
                ScopeLoading.printError("taas: cannot sign \(recordPath): \(error)")
                throw ExitCode(ExitCodes.error)
            }
        }
        throw ExitCodes.forVerdict(report.verdict)
    }

    /// Checks the scope against its lock, before anything runs.
    private func checkLock(_ scope: TestScope, scopeURL: URL, workspace: URL) throws -> LockCheck {
        let lockURL = lock.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? ScopeLock.url(forScope: scopeURL)
        let exists = FileManager.default.fileExists(atPath: lockURL.path)
        if noLock {
            guard exists else { return .absent }
            ScopeLoading.printError("taas: WARNING: --no-lock: the lock \(lockURL.path) is NOT checked; the report records it")
            return LockCheck(status: .skipped, lockFile: lockURL.path)
        }
        guard exists else {
            if lock != nil || requireLock {
                return LockCheck(
                    status: .mismatch, lockFile: lockURL.path,
                    problem: "the lock \(lockURL.path) does not exist; make it with `taas lock \(scope.id == "" ? "SCOPE" : scopeURL.lastPathComponent)`")
            }
            return .absent
        }
        do {
            let locked = try ScopeLock.read(from: lockURL)
            return try LockVerifier.verify(
                scope, scopeFile: scopeURL.lastPathComponent, workspace: workspace, against: locked, lockFile: lockURL)
        } catch {
            return LockCheck(status: .mismatch, lockFile: lockURL.path, problem: error.message)
        }
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
