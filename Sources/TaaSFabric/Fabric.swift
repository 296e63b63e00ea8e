import Foundation
import HTTPTypes
import Synchronization
import TaaSCore
import TaaSEngine
import TaaSRunners

/// The Quality Fabric: accepts runs into a durable queue, executes them with the same engine as
/// `taas run` (``Judge``), and remembers every verdict in its ``RunStore``. The HTTP API
/// (``FabricServer``) is a thin layer over it.
public final class Fabric: Sendable {
    public let configuration: FabricConfiguration
    public let store: any RunStore
    /// The live events of the runs in progress.
    public let events = EventHub()
    /// Counters for `/metrics`.
    public let metrics = FabricMetrics()
    let signal = WorkSignal()
    /// The interruptions of the runs executing now, by run id.
    private let executing = Mutex<[String: RunInterruption]>([:])
    /// The runs a caller cancelled while they executed (here or on a remote worker).
    let cancelled = Mutex<Set<String>>([])
    /// The event files of the runs remote workers execute now, by run id.
    let remoteEvents = Mutex<[String: FabricRunObserver]>([:])
    /// What this server's own executing loop can run (``WorkerCapabilities``), once it started.
    let localLabels = Mutex<[String: String]>([:])
    /// When ended runs were last pruned (``pruneExpiredRuns(now:)``).
    let lastPrune = Mutex<Date?>(nil)

    public init(configuration: FabricConfiguration, store: any RunStore) {
        self.configuration = configuration
        self.store = store
    }

    /// The Fabric of `configuration`: its data folder created, and `store`, or else its SQLite store
    /// (`DIR/fabric.sqlite`) opened and migrated.
    public static func open(
        _ configuration: FabricConfiguration,
        store: (any RunStore)? = nil
    ) throws(FabricError) -> Fabric {
        do {
            try FileManager.default.createDirectory(
                at: configuration.dataFolder.appendingPathComponent("runs"),
                withIntermediateDirectories: true
            )
        } catch {
            throw FabricError(.dataFolder, "cannot create the data folder \(configuration.dataFolder.path): \(error)")
        }
        if let store { return Fabric(configuration: configuration, store: store) }
        return Fabric(configuration: configuration, store: try SQLiteRunStore(path: configuration.databaseFile.path))
    }

    /// How many runs execute now.
    public var executingCount: Int { executing.withLock { $0.count } }

    /// The folder of run `id`.
    public func folder(of runID: String) -> RunFolder {
        RunFolder(dataFolder: configuration.dataFolder, runID: runID)
    }

    // MARK: Submitting

    /// What a caller submits: the scope's JSON, the workspace archive, and how to run it.
    public struct Submission: Sendable {
        public var scope: Data
        public var workspace: Data
        public var sandbox: String?
        public var jobs: Int
        public var labels: [String: String]
        /// The labels the worker that runs it must have, besides those its sandbox implies.
        public var requires: [String: String]

        public init(
            scope: Data,
            workspace: Data,
            sandbox: String? = nil,
            jobs: Int = 1,
            labels: [String: String] = [:],
            requires: [String: String] = [:]
        ) {
            self.scope = scope
            self.workspace = workspace
            self.sandbox = sandbox
            self.jobs = jobs
            self.labels = labels
            self.requires = requires
        }
    }

    /// Validates a submission, unpacks its workspace into a new run folder and queues the run.
    /// - Throws: ``APIError``: 422 with every problem for an invalid scope, 400/413 for a refused
    ///   archive, 429 when the queue is full.
    public func submit(_ submission: Submission) async throws(APIError) -> FabricRun {
        let scope: TestScope
        do {
            scope = try TestScope.parse(
                submission.scope,
                source: "scope",
                runners: RunnerRegistry.standard.executionRunnerNames
            ).scope
        } catch {
            throw APIError(
                .unprocessableContent,
                "the scope is not a valid TestScope (\(error.errors.count) problem\(error.errors.count == 1 ? "" : "s"))",
                problems: error.errors.map { APIError.Problem(path: $0.path.description, message: $0.message) }
            )
        }
        if let kind = submission.sandbox {
            do {
                _ = try SandboxRegistry.standard.resolve(kind: kind, allowUnsafe: configuration.allowUnsafeLocal)
            } catch {
                throw APIError(.unprocessableContent, "sandbox: \(error.message)")
            }
        }
        guard (1...64).contains(submission.jobs) else {
            throw APIError(.unprocessableContent, "jobs: expected a number from 1 to 64, got \(submission.jobs)")
        }
        let queued = (try? await store.queuedCount()) ?? 0
        guard queued < configuration.queueLimit else {
            throw APIError(
                .tooManyRequests,
                "the queue is full (\(queued) runs wait; the limit is \(configuration.queueLimit)); try again later",
                retryAfter: configuration.retryAfterSeconds
            )
        }
        let id = Harness.makeRunID()
        let folder = self.folder(of: id)
        let digest: String
        do {
            digest = try WorkspaceArchive(limits: configuration.archiveLimits)
                .extract(submission.workspace, into: folder.workspace)
        } catch {
            try? FileManager.default.removeItem(at: folder.root)
            throw APIError(error.tooLarge ? .contentTooLarge : .badRequest, error.message)
        }
        do {
            try submission.scope.write(to: folder.scopeFile)
            // Kept as uploaded: remote workers download it (and unpack it under their own limits).
            try submission.workspace.write(to: folder.workspaceArchive)
            let implied = RunRequirements.implied(bySandbox: submission.sandbox ?? scope.environment.type.rawValue)
            let run = FabricRun(
                id: id,
                scopeID: scope.id,
                labels: submission.labels,
                sandbox: submission.sandbox,
                jobs: submission.jobs,
                workspaceDigest: digest,
                requires: implied.merging(submission.requires) { _, explicit in explicit }
            )
            events.open(id)
            guard try await store.insertQueued(run, limit: configuration.queueLimit) else {
                events.close(id)
                try? FileManager.default.removeItem(at: folder.root)
                throw APIError(
                    .tooManyRequests,
                    "the queue is full (the limit is \(configuration.queueLimit) waiting runs); try again later",
                    retryAfter: configuration.retryAfterSeconds
                )
            }
            metrics.submitted()
            signal.notify()
            return run
        } catch let error as APIError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: folder.root)
            throw APIError(.internalServerError, "cannot record the run: \(error)")
        }
    }

    /// Cancels a run: a queued run ends at once, an executing one is interrupted (its teardown still
    /// runs) and ends with verdict `error`. Returns the run, or `nil` when there is none with this id.
    public func cancel(_ runID: String) async throws -> FabricRun? {
        guard let run = try await store.run(id: runID) else { return nil }
        switch run.status {
        case .queued:
            if try await store.cancelIfQueued(id: runID, message: "cancelled before it started (DELETE)") {
                events.close(runID)
                if let cancelled = try await store.run(id: runID) { metrics.finished(cancelled) }
            } else {
                return try await cancel(runID)  // a worker claimed it meanwhile: cancel it as running
            }
        case .running:
            cancelled.withLock { _ = $0.insert(runID) }
            executing.withLock { $0[runID] }?.interrupt(reason: "cancelled (DELETE)")
        case .finished, .cancelled:
            break
        }
        return try await store.run(id: runID)
    }

    // MARK: Executing

    /// Brings the store back to a consistent state after a stop or a crash: a run that this server
    /// was executing is queued again once (its second interruption ends it with verdict `error`), and the sandbox
    /// folders those runs left in the temporary folder are removed.
    public func recover() async throws {
        OrphanSweeper.sweepAbandonedFolders()
        await pruneExpiredRuns()
        for var run in try await store.runs(status: .running) {
            // A remote worker's run goes on: its lease tells whether the worker still lives.
            if run.leaseExpiresAt != nil {
                events.open(run.id)
                continue
            }
            OrphanSweeper.removeSandboxFolder(of: run.id)
            if run.starts >= 2 {
                run.status = .finished
                run.verdict = .error
                run.finishedAt = Date()
                run.message = "the server stopped twice while this run executed; it is not tried again"
            } else {
                run.status = .queued
                run.message = "re-queued: the server stopped while it executed"
            }
            try await store.update(run)
        }
        for run in try await store.runs(status: .queued) { events.open(run.id) }
    }

    /// Runs ``FabricConfiguration/workers`` workers until the task is cancelled; each takes the
    /// oldest queued run, executes it, and waits for the next. Cancellation interrupts the runs in
    /// progress (their teardown runs) and returns when they have ended.
    public func runWorkers() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.expireLeasesUntilCancelled() }
            guard configuration.workers > 0 else { return }
            let labels = await WorkerCapabilities.detect(allowUnsafeLocal: configuration.allowUnsafeLocal)
            localLabels.withLock { $0 = labels }
            let claim = WorkerClaim(workerID: WorkerClaim.localID, labels: labels, leaseUntil: nil)
            for _ in 0..<configuration.workers {
                group.addTask { await self.work(claiming: claim) }
            }
        }
    }

    private func work(claiming claim: WorkerClaim) async {
        while !Task.isCancelled {
            let next: FabricRun?
            do { next = try await store.claimNextQueued(for: claim) } catch { next = nil }
            if let next {
                await execute(next)
            } else {
                // Woken by a new run, or after a while anyway: the run that woke another waiter may be
                // one only this loop can serve.
                await signal.wait(upTo: .seconds(2))
            }
        }
    }

    /// Executes one claimed run with the engine and records how it ended.
    func execute(_ claimed: FabricRun) async {
        var run = claimed
        let folder = self.folder(of: run.id)
        if run.starts > 1 { folder.resetForRestart() }
        events.open(run.id)
        let observer = FabricRunObserver(runID: run.id, eventsFile: folder.events, hub: events)
        let interruption = RunInterruption()
        executing.withLock { $0[run.id] = interruption }
        defer {
            observer.close()
            events.close(run.id)
        }
        do {
            let execution = RunExecution(
                scopeFile: folder.scopeFile,
                workspace: folder.workspace,
                reportFolder: folder.report,
                allowUnsafeLocal: configuration.allowUnsafeLocal,
                cacheDirectory: configuration.cacheDirectory,
                telemetry: configuration.telemetry
            )
            let outcome = try await execution.judge(
                run,
                observer: observer,
                interruption: interruption,
                cancelReason: "the server is shutting down"
            )
            run.take(outcome.report)
            let wasCancelled = cancelled.withLock { $0.remove(run.id) != nil }
            run.status = wasCancelled || Task.isCancelled ? .cancelled : .finished
            run.message = interruption.reason ?? run.message
            try? await store.recordCases(FabricCase.cases(of: outcome.report, digest: run.workspaceDigest))
        } catch {
            run.status = .finished
            run.verdict = .error
            run.message = "the run could not be carried out: \(error)"
        }
        executing.withLock { _ = $0.removeValue(forKey: run.id) }
        run.finishedAt = Date()
        if run.durationMS == nil, let started = run.startedAt {
            run.durationMS = Int(run.finishedAt!.timeIntervalSince(started) * 1000)
        }
        try? await store.update(run)
        metrics.finished(run)
        await pruneExpiredRunsHourly()
    }
}

extension FabricCase {
    /// The cases of a report: each test case as `classname::name`, or the scenario itself when it
    /// has no cases; a case of a scenario that passed on a retry is flaky.
    static func cases(of report: TaaSReport, digest: String?) -> [FabricCase] {
        report.scenarios.flatMap { scenario in
            if scenario.cases.isEmpty {
                return [
                    FabricCase(
                        runID: report.runID,
                        scopeID: report.scopeID,
                        name: scenario.id,
                        verdict: scenario.verdict,
                        flaky: scenario.flaky,
                        message: scenario.message,
                        workspaceDigest: digest,
                        finishedAt: report.finishedAt
                    )
                ]
            }
            return scenario.cases.map { item in
                FabricCase(
                    runID: report.runID,
                    scopeID: report.scopeID,
                    name: item.classname.isEmpty ? item.name : "\(item.classname)::\(item.name)",
                    verdict: item.verdict,
                    flaky: scenario.flaky && item.verdict == .pass,
                    message: item.message,
                    workspaceDigest: digest,
                    finishedAt: report.finishedAt
                )
            }
        }
    }
}
