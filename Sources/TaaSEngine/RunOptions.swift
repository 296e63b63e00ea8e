import Foundation
import TaaSCore
import TaaSIntegrity
import TaaSReporting
import TaaSRunners
import TaaSSandboxes

/// How to run a scope.
public struct RunOptions: Sendable {
    /// The folder copied into the sandbox; paths in the scope are relative to it.
    public var workspace: URL
    /// Where `report.json`, `junit.xml` and `logs/` are written.
    public var outputDirectory: URL
    /// The sandbox to run in; `nil` takes the one of ``sandboxKind`` from ``sandboxes``.
    public var sandbox: (any Sandbox)?
    /// The sandboxes a run can choose from, by kind.
    public var sandboxes: SandboxRegistry = .standard
    /// The kind of sandbox to run in (`--sandbox`), when ``sandbox`` is `nil`; `nil` takes the
    /// scope's `environment.type`.
    public var sandboxKind: String?
    /// Limits over the scope's `environment.limits` (`--memory`, `--pids`, `--cpus`); each sandbox
    /// applies them in its own way.
    public var limits: ResourceLimits?
    /// How many scenarios may run at once.
    public var jobs: Int
    public var runners: RunnerRegistry
    /// Where virtualenvs and the agent are cached.
    public var cacheDirectory: URL
    /// The most bytes of one stream of one step kept in its log file.
    public var logLimitBytes: Int
    /// How many bytes of each stream's end the report keeps.
    public var tailBytes: Int
    /// Which report files to write; `report.json` is written whatever this says (it is the record).
    public var reportFormats: Set<ReportFormat>
    /// Whether a sandbox that does not isolate (`local`: plain host processes) may be used.
    public var allowUnsafeLocal: Bool
    /// Never pull container images from a registry (passed to the sandbox in its configuration).
    public var offline: Bool = false
    /// How the scope was checked against its lock; a `mismatch` stops the run before anything runs.
    public var lockCheck: LockCheck = .absent
    /// Whether a case that is not in the lock's test ledger makes its scenario `error` (by default
    /// it is reported as `unlisted`, a warning).
    public var strictLedger = false
    /// Where earlier reports are kept by the key of their inputs; `nil` runs without the cache.
    public var verdictCache: VerdictCache?
    /// The bounds on the test cases read from the sandbox (per scenario, per run, name and message
    /// lengths, report size and parse time).
    public var caseLimits = CaseLimits()
    /// Which scenarios run (`--scenario`, `-k`, `--rerun-failed`) and whether the run stops at the
    /// first failure (`--fail-fast`); `nil` runs the whole scope.
    public var selection: ScenarioSelection?
    /// The scope's file, when the run was asked for by file: the workspace manifest marks it (and
    /// its lock) as law.
    public var scopeFile: URL?
    /// The run's id (the report's `run_id`); `nil` makes a new one (``Harness/makeRunID(at:)``). A
    /// service that names its runs before they start (the Fabric) sets it.
    public var runID: String?
    /// The trace the run is; `nil` starts a new one (see ``TraceContext/joining(_:)`` to continue
    /// the caller's `TRACEPARENT`).
    public var trace: TraceContext?
    /// Receives the finished run before report.json is written, while the other report files are
    /// (writes `trace.json`, exports the trace), and fills the report's `telemetry`; `nil`: no telemetry.
    public var telemetry: (any RunTelemetry)?
    /// When the process began (the first line of `taas`'s own code), so that the report's `timing`
    /// counts the start-up too; `nil` counts from the run's start (a program embedding the engine).
    public var processStartedAt: ContinuousClock.Instant?

    public init(
        workspace: URL,
        outputDirectory: URL,
        sandbox: (any Sandbox)? = nil,
        jobs: Int = 1,
        runners: RunnerRegistry = .standard,
        cacheDirectory: URL = CacheLocation.default,
        logLimitBytes: Int = 32 * 1024 * 1024,
        tailBytes: Int = 4096,
        reportFormats: Set<ReportFormat> = Set(ReportFormat.allCases),
        allowUnsafeLocal: Bool = false
    ) {
        self.allowUnsafeLocal = allowUnsafeLocal
        self.workspace = workspace
        self.outputDirectory = outputDirectory
        self.sandbox = sandbox
        self.jobs = max(1, jobs)
        self.runners = runners
        self.cacheDirectory = cacheDirectory
        self.logLimitBytes = logLimitBytes
        self.tailBytes = tailBytes
        self.reportFormats = reportFormats
    }
}

extension RunOptions {
    /// The scope's `environment.limits` with ``limits`` on top.
    public func effectiveLimits(for scope: TestScope) -> ResourceLimits? {
        guard let overrides = limits else { return scope.environment.limits }
        var merged = scope.environment.limits ?? ResourceLimits()
        if let memory = overrides.memoryMB { merged.memoryMB = memory }
        if let pids = overrides.pids { merged.pids = pids }
        if let cpus = overrides.cpus { merged.cpus = cpus }
        return merged
    }

    /// The output folder's path relative to the workspace, when it lies inside it: it is never
    /// copied into the sandbox, and never part of the verdict cache's workspace digest.
    public var outputInsideWorkspace: [String] {
        let workspace = workspace.standardizedFileURL.path
        let output = outputDirectory.standardizedFileURL.path
        guard output.hasPrefix(workspace + "/") else { return [] }
        return [String(output.dropFirst(workspace.count + 1))]
    }
}

/// Where `taas` keeps its caches.
public enum CacheLocation {
    /// The folder of the verdict cache inside the cache folder.
    public static let verdictsFolder = "verdicts"

    /// `TAAS_CACHE_DIR`; else `/var/cache/maestro-taas` for root (whose home the sandbox's
    /// unprivileged user cannot enter); else `$XDG_CACHE_HOME/maestro-taas` or `~/.cache/maestro-taas`.
    public static var `default`: URL {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["TAAS_CACHE_DIR"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if getuid() == 0 { return URL(fileURLWithPath: "/var/cache/maestro-taas") }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("maestro-taas")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/maestro-taas")
    }
}
