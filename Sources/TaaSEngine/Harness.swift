import Foundation
import TaaSCore
import TaaSIntegrity
import TaaSReporting

/// The Judge: runs a TestScope in a sandbox and returns an honest report.
///
/// `execute` never throws: whatever goes wrong (a sandbox that cannot start, a setup that fails,
/// an interruption) becomes verdict `error` in a report that is still written.
public struct Harness: Sendable {
    /// The version of `taas`, recorded in reports.
    public static let version = "0.1.0"

    public var options: RunOptions

    public init(options: RunOptions) {
        self.options = options
    }

    /// Runs `scope` and writes its report files; returns the report.
    /// - Parameters:
    ///   - observer: receives progress events as the run goes.
    ///   - interruption: lets the caller stop the run early (teardown still runs).
    public func execute(
        _ scope: TestScope,
        observer: any RunObserver = SilentObserver(),
        interruption: RunInterruption = RunInterruption()
    ) async -> TaaSReport {
        let clock = PhaseClock(processStartedAt: options.processStartedAt)
        if options.processStartedAt != nil { clock.record("startup", from: clock.origin) }
        let runID = options.runID ?? Self.makeRunID()
        let startedAt = Date()
        let recorder = RunRecorder()
        // The selection narrows the scope to the scenarios that run; the rest are only recorded.
        let whole = scope
        var scope = scope
        var selectionRecord: SelectionRecord?
        if let selection = options.selection {
            let (selected, deselected) = selection.apply(to: whole.scenarios)
            scope.scenarios = selected
            selectionRecord = selection.record(selected: selected.map(\.id), deselected: deselected.map(\.id))
            for pattern in selection.unmatchedPatterns(ids: whole.scenarios.map(\.id)) {
                observer.handle(.note("note: --scenario \(pattern) matches no scenario of \(whole.id)"))
            }
            if selected.isEmpty {
                await recorder.addError(
                    phase: "selection",
                    "the selection (\(selection.summary)) matches none of the scope's \(whole.scenarios.count) "
                        + "scenarios (\(whole.scenarios.map(\.id).joined(separator: ", "))); nothing ran"
                )
            }
        }
        let trace = options.trace ?? TraceContext.random()
        let timings = StepTimings()
        observer.handle(.runStarted(runID: runID, scopeID: scope.id, scenarios: scope.scenarios.count))
        observer.handle(.phaseStarted(.preparing))
        // The workspace as it is judged, file by file, for comparing runs without git.
        let manifest: WorkspaceManifest?
        let manifestStart = ContinuousClock.now
        do {
            manifest = try WorkspaceManifest.capture(
                scope: scope,
                workspace: options.workspace,
                scopeFile: options.scopeFile,
                excluding: [options.outputDirectory]
            )
        } catch {
            manifest = nil
            observer.handle(.note("note: no workspace manifest is written for this run: \(error.message)"))
        }
        clock.record("workspace_manifest", from: manifestStart)

        let logDirectory = options.outputDirectory.appendingPathComponent("logs")
        do {
            try? FileManager.default.removeItem(at: logDirectory)
            try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        } catch {
            await recorder.addError(
                phase: "report",
                "cannot create the output folder \(logDirectory.path): \(error.localizedDescription)"
            )
        }

        if options.lockCheck.status == .mismatch {
            await recorder.addError(
                phase: "integrity",
                "the law does not match its lock \(options.lockCheck.lockFile ?? ""): \(options.lockCheck.changeSummary); nothing ran"
            )
        }
        // The sandbox is resolved once, here; everything below uses this one.
        let sandbox: (any Sandbox)?
        do { sandbox = try options.sandbox(for: scope) } catch {
            sandbox = nil
            if await recorder.errors.isEmpty { await recorder.addError(phase: "sandbox", error.message) }
        }
        let configuration = options.sandboxConfiguration(
            for: scope,
            runID: runID,
            logDirectory: logDirectory,
            observer: observer,
            clock: clock
        )
        var cacheKey: VerdictCacheKey?
        if options.selection != nil, options.verdictCache != nil {
            observer.handle(.note("note: the verdict cache is not used for a run of selected scenarios"))
        }
        if await recorder.errors.isEmpty, options.selection == nil, let cache = options.verdictCache, let sandbox {
            let lookupStart = ContinuousClock.now
            var hit: (entry: VerdictCache.Entry, report: TaaSReport, logs: URL)?
            do {
                cacheKey = try await VerdictCaching.key(
                    for: scope,
                    sandbox: sandbox,
                    configuration: configuration,
                    options: options
                )
                hit = cacheKey.flatMap { cache.lookup($0) }
            } catch {
                observer.handle(.note("note: the verdict cache is not used for this run: \(error.message)"))
            }
            clock.record("cache_lookup", from: lookupStart)
            if let hit {
                return await serveCached(
                    hit,
                    scope: scope,
                    runID: runID,
                    startedAt: startedAt,
                    trace: trace,
                    clock: clock,
                    observer: observer
                )
            }
        }

        if await recorder.errors.isEmpty, let sandbox {
            do {
                if !sandbox.installsDependencies, !scope.environment.dependencies.isEmpty {
                    let installing = options.sandboxes.kinds.filter {
                        options.sandboxes.sandbox(kind: $0)?.installsDependencies == true
                    }
                    observer.handle(
                        .note(
                            "note: the \(sandbox.kind) sandbox does not install environment.dependencies; use --sandbox "
                                + installing.joined(separator: " or ")
                        )
                    )
                }
                let sandboxStart = ContinuousClock.now
                let lifecycleEnd = try await sandbox.withInstance(configuration) { instance in
                    clock.record("sandbox_start", from: sandboxStart)
                    await recorder.setSandbox(instance.description)
                    let lifecycle = LifecycleTimer(forwardingTo: observer, clock: clock)
                    await runLifecycle(
                        scope,
                        in: TracedSandboxInstance(base: instance, trace: trace, timings: timings),
                        trace: trace,
                        recorder: recorder,
                        observer: lifecycle,
                        interruption: interruption
                    )
                    lifecycle.finish()
                    return ContinuousClock.now
                }
                clock.record("sandbox_stop", from: lifecycleEnd)
            } catch let error as SandboxError {
                await recorder.addError(phase: "sandbox", error.message)
            } catch {
                await recorder.addError(phase: "sandbox", "\(error)")
            }
        }
        if let reason = interruption.reason {
            await recorder.addError(
                phase: "run",
                "the run was interrupted (\(reason)); teardown ran and the report is partial"
            )
        }

        observer.handle(.phaseStarted(.reporting))
        var report = await makeReport(scope, runID: runID, startedAt: startedAt, recorder: recorder)
        report.selection = selectionRecord
        report = await write(report, scope: scope, trace: trace, timings: timings, clock: clock, observer: observer)
        do { try manifest?.write(to: options.outputDirectory) } catch {
            observer.handle(.note("note: \(error.message)"))
        }
        if options.selection == nil, let cache = options.verdictCache, VerdictCache.isCacheable(report), let sandbox {
            await store(
                report,
                in: cache,
                key: cacheKey,
                scope: scope,
                sandbox: sandbox,
                configuration: configuration,
                logs: logDirectory,
                observer: observer
            )
        }
        observer.handle(.runFinished(report))
        return report
    }

    // MARK: - Telemetry and the report files

    /// Writes the report files while ``RunOptions/telemetry`` records the run, and returns the
    /// report as written: with the telemetry's answer, its `timing`, and `error` if a file could
    /// not be written. Only report.json holds that answer, so the other files do not wait for the
    /// export.
    private func write(
        _ report: TaaSReport,
        scope: TestScope,
        trace: TraceContext,
        timings: StepTimings,
        clock: PhaseClock,
        observer: any RunObserver
    ) async -> TaaSReport {
        let telemetry = options.telemetry
        let outputDirectory = options.outputDirectory
        var (written, failure) = await ReportWriter.write(
            report,
            to: outputDirectory,
            formats: options.reportFormats,
            clock: clock
        ) { report in
            var report = report
            if let telemetry {
                let run = FinishedRun(
                    scope: scope,
                    report: report,
                    trace: trace,
                    timings: timings,
                    outputDirectory: outputDirectory.path
                )
                report.telemetry = await clock.measure("telemetry") { await telemetry.finish(run) }
            }
            return report
        }
        if let error = written.telemetry?.error { observer.handle(.note("warning: telemetry: \(error)")) }
        if let failure {
            written.errors.append(RunError(phase: "report", message: "\(failure)"))
            written.verdict = .error
        }
        return written
    }

    // MARK: - The verdict cache

    /// Writes an earlier run's report as this run's, marked `cached`, with its logs.
    private func serveCached(
        _ hit: (entry: VerdictCache.Entry, report: TaaSReport, logs: URL),
        scope: TestScope,
        runID: String,
        startedAt: Date,
        trace: TraceContext,
        clock: PhaseClock,
        observer: any RunObserver
    ) async -> TaaSReport {
        var report = hit.report
        report.cached = true
        report.cachedFrom = hit.entry.runID
        report.runID = runID
        report.startedAt = startedAt
        report.finishedAt = Date()
        report.durationMS = Int((report.finishedAt.timeIntervalSince(startedAt) * 1000).rounded())
        report.record(options.lockCheck)
        observer.handle(.note("cached: inputs identical to run \(hit.entry.runID); its report is served (--cache)"))
        let logs = options.outputDirectory.appendingPathComponent("logs")
        try? FileManager.default.removeItem(at: logs)
        if FileManager.default.fileExists(atPath: hit.logs.path) {
            try? FileManager.default.copyItem(at: hit.logs, to: logs)
        }
        report.telemetry = nil
        report = await write(
            report,
            scope: scope,
            trace: trace,
            timings: StepTimings(),
            clock: clock,
            observer: observer
        )
        observer.handle(.runFinished(report))
        return report
    }

    /// Keeps a clean report for later runs with the same inputs. The key is computed again when
    /// it could not be before the run (a docker image that the run itself built).
    private func store(
        _ report: TaaSReport,
        in cache: VerdictCache,
        key: VerdictCacheKey?,
        scope: TestScope,
        sandbox: any Sandbox,
        configuration: SandboxConfiguration,
        logs: URL,
        observer: any RunObserver
    ) async {
        do {
            var key = key
            if key == nil {
                key = try await VerdictCaching.key(
                    for: scope,
                    sandbox: sandbox,
                    configuration: configuration,
                    options: options
                )
            }
            guard let key else { return }
            try cache.store(report, logs: logs, key: key)
        } catch {
            observer.handle(.note("note: the report was not stored in the verdict cache: \(error)"))
        }
    }

    // MARK: - The lifecycle

    private func runLifecycle(
        _ scope: TestScope,
        in instance: any SandboxInstance,
        trace: TraceContext,
        recorder: RunRecorder,
        observer: any RunObserver,
        interruption: RunInterruption
    ) async {
        // Setup, services and scenarios can be cut short by an interruption...
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await runMainPhases(scope, in: instance, trace: trace, recorder: recorder, observer: observer)
                return true
            }
            group.addTask {
                _ = await interruption.wait()
                return false
            }
            _ = await group.next()
            group.cancelAll()
            await group.waitForAll()
        }
        // ...but services are always stopped and teardown always runs, shielded from the
        // cancellation of the caller's task (an unstructured task does not inherit it).
        await Task {
            await stopServices(recorder: recorder, observer: observer)
            await runTeardown(scope, in: instance, recorder: recorder, observer: observer)
        }.value
    }

    private func runMainPhases(
        _ scope: TestScope,
        in instance: any SandboxInstance,
        trace: TraceContext,
        recorder: RunRecorder,
        observer: any RunObserver
    ) async {
        var blocked: String?
        if !scope.lifecycle.setup.isEmpty { observer.handle(.phaseStarted(.setup)) }
        for (index, step) in scope.lifecycle.setup.enumerated() {
            if Task.isCancelled {
                blocked = "the run was interrupted"
                break
            }
            do {
                let result = try await runLifecycleStep(
                    step,
                    phase: .setup,
                    index: index,
                    in: instance,
                    recorder: recorder,
                    observer: observer
                )
                if !result.succeeded {
                    blocked = "setup step \(index + 1) failed"
                    break
                }
            } catch {
                blocked = "the sandbox broke during setup"
                await recorder.addError(phase: .setup, error.message)
                break
            }
        }
        if blocked == nil, !scope.services.isEmpty {
            observer.handle(.phaseStarted(.services))
            for service in scope.services {
                if Task.isCancelled {
                    blocked = "the run was interrupted"
                    break
                }
                do {
                    let (step, started) = try await ServiceStarter().start(service, in: instance)
                    guard started.ready else {
                        // A service that exited or never got ready usually said why: it is stopped now,
                        // so that its output's tail goes with the error on the console and in the report.
                        var result = started
                        result.output = RecordedOutput(await step.stop())
                        await recorder.addService(result)
                        observer.handle(.serviceReady(result))
                        blocked = "service \(service.name) is not ready"
                        let said = ReportText.lastLines(of: result.output, count: 8)
                        await recorder.addError(
                            phase: .services,
                            "service \"\(service.name)\" is not ready: \(result.message ?? "")"
                                + (said.isEmpty
                                    ? "; it printed nothing"
                                    : "; its last line: \(said.split(separator: "\n").last ?? "")\n"
                                        + "its output ended with:\n\(said)")
                        )
                        break
                    }
                    await recorder.addRunningService(
                        name: service.name,
                        command: service.command,
                        step: step,
                        readiness: started
                    )
                    observer.handle(.serviceReady(started))
                } catch {
                    blocked = "the sandbox broke while starting services"
                    await recorder.addError(phase: .services, error.message)
                    break
                }
            }
        }
        if let blocked {
            for scenario in scope.scenarios {
                await recorder.addScenario(
                    ScenarioResult(
                        id: scenario.id,
                        type: scenario.type,
                        verdict: .skipped,
                        message: "not run: \(blocked)"
                    )
                )
            }
            return
        }
        observer.handle(.phaseStarted(.scenarios))
        await runScenarios(scope.scenarios, in: instance, recorder: recorder, observer: observer, trace: trace)
    }

    private func runScenarios(
        _ scenarios: [Scenario],
        in instance: any SandboxInstance,
        recorder: RunRecorder,
        observer: any RunObserver,
        trace: TraceContext
    ) async {
        let executor = ScenarioExecutor(
            runners: options.runners,
            observer: observer,
            limits: options.caseLimits,
            budget: CaseBudget(limit: options.caseLimits.casesPerRun),
            ledger: options.lockCheck.status == .verified ? options.lockCheck.ledger : nil,
            strictLedger: options.strictLedger,
            trace: trace
        )
        let failFast = options.selection?.failFast == true
        await withTaskGroup(of: ScenarioResult.self) { group in
            var pending = scenarios[...]
            var stoppedBy: String?
            func startNext() {
                guard stoppedBy == nil, let scenario = pending.popFirst() else { return }
                group.addTask {
                    if Task.isCancelled {
                        return ScenarioResult(
                            id: scenario.id,
                            type: scenario.type,
                            verdict: .skipped,
                            message: "not run: the run was interrupted"
                        )
                    }
                    return await executor.run(scenario, in: instance)
                }
            }
            for _ in 0..<options.jobs { startNext() }
            while let result = await group.next() {
                await recorder.addScenario(result)
                observer.handle(.scenarioFinished(result))
                if failFast, stoppedBy == nil, result.verdict == .fail || result.verdict == .error {
                    stoppedBy = result.id
                }
                startNext()
            }
            // --fail-fast: what was not started is skipped, and says why.
            if let stoppedBy {
                for scenario in pending {
                    let skipped = ScenarioResult(
                        id: scenario.id,
                        type: scenario.type,
                        verdict: .skipped,
                        message: "not run: --fail-fast stopped the run after \(stoppedBy) did not pass"
                    )
                    await recorder.addScenario(skipped)
                    observer.handle(.scenarioFinished(skipped))
                }
            }
        }
    }

    private func stopServices(recorder: RunRecorder, observer: any RunObserver) async {
        let running = await recorder.takeRunningServices()
        if !running.isEmpty { observer.handle(.phaseStarted(.stoppingServices)) }
        var results: [ServiceResult] = []
        for service in running {
            let outcome = await service.step.stop()
            var result = service.readiness
            result.output = RecordedOutput(outcome)
            results.append(result)
        }
        for result in results.reversed() { await recorder.addService(result) }
    }

    private func runTeardown(
        _ scope: TestScope,
        in instance: any SandboxInstance,
        recorder: RunRecorder,
        observer: any RunObserver
    ) async {
        if !scope.lifecycle.teardown.isEmpty { observer.handle(.phaseStarted(.teardown)) }
        // Every teardown step runs, even after one fails: each may release something different.
        for (index, step) in scope.lifecycle.teardown.enumerated() {
            do {
                _ = try await runLifecycleStep(
                    step,
                    phase: .teardown,
                    index: index,
                    in: instance,
                    recorder: recorder,
                    observer: observer
                )
            } catch {
                await recorder.addError(phase: .teardown, error.message)
                break
            }
        }
    }

    /// Runs one setup or teardown step, records it, and records an error when it fails.
    /// Setup steps keep their background processes until the sandbox ends; teardown steps do not.
    private func runLifecycleStep(
        _ step: LifecycleStep,
        phase: RunPhase,
        index: Int,
        in instance: any SandboxInstance,
        recorder: RunRecorder,
        observer: any RunObserver
    ) async throws(SandboxError) -> StepResult {
        let outcome = try await instance.run(
            .shell(
                step.command,
                label: "\(phase.rawValue)-\(index + 1)",
                timeout: step.timeout,
                lifetime: phase == .setup ? .sandbox : .step
            )
        )
        let result = StepResult(command: step.command, outcome: outcome, timeout: step.timeout)
        if phase == .setup { await recorder.addSetup(result) } else { await recorder.addTeardown(result) }
        observer.handle(.stepFinished(phase: phase, index: index, result: result))
        if !result.succeeded {
            await recorder.addError(
                phase: phase,
                "\(phase.rawValue) step \(index + 1) (\(step.command)) failed: \(result.message ?? "")"
            )
        }
        return result
    }

    // MARK: - The report

    private func makeReport(
        _ scope: TestScope,
        runID: String,
        startedAt: Date,
        recorder: RunRecorder
    ) async -> TaaSReport {
        let byID = await recorder.scenarios
        let scenarios = scope.scenarios.map { scenario in
            byID[scenario.id]
                ?? ScenarioResult(id: scenario.id, type: scenario.type, verdict: .skipped, message: "not run")
        }
        let errors = await recorder.errors
        let sandbox =
            await recorder.sandbox
            ?? SandboxDescription(
                kind: options.sandbox?.kind ?? options.sandboxKind ?? scope.environment.type.rawValue,
                settings: ["status": "not started"]
            )
        var report = TaaSReport(
            runID: runID,
            scopeID: scope.id,
            scopeFingerprint: scope.fingerprint,
            verdict: VerdictRules.runVerdict(scenarios: scenarios, errors: errors),
            startedAt: startedAt,
            finishedAt: Date(),
            taasVersion: Self.version,
            sandbox: sandbox,
            setup: await recorder.setup,
            teardown: await recorder.teardown,
            services: await recorder.services,
            scenarios: scenarios,
            errors: errors
        )
        report.record(options.lockCheck)
        return report
    }

    /// A run id that sorts by time, `20261126T031243Z-667e0334`: the UTC time and a random suffix.
    /// Formatted by hand: a `DateFormatter` loads ICU, which costs a few milliseconds of every run.
    public static func makeRunID(at date: Date = Date()) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let stamp =
            "\(parts.tm_year + 1900)\(twoDigits(parts.tm_mon + 1))\(twoDigits(parts.tm_mday))T"
            + "\(twoDigits(parts.tm_hour))\(twoDigits(parts.tm_min))\(twoDigits(parts.tm_sec))Z"
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(stamp)-\(suffix)"
    }
}
