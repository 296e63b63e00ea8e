import Foundation
import HTTPTypes
import ServiceLifecycle
import Synchronization
import TaaSCore

/// The coordinator's side of remote workers (`taas worker`): registration, claims under a lease,
/// heartbeats that renew it, the events and the report a worker sends back, and the leases that
/// run out (the worker died) — each checked against the run's current attempt, the fencing token.
extension Fabric {
    /// How many times a run is started before a lost lease ends it with verdict `error`.
    static let maximumStarts = 2

    /// Records a worker (a new id each registration) and returns it.
    public func register(name: String, slots: Int, labels: [String: String]) async throws -> WorkerRecord {
        let id = "w-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let worker = WorkerRecord(id: id, name: name, labels: labels, slots: slots)
        try await store.upsert(worker)
        return worker
    }

    /// The registered worker `id`, or 404 (the worker registers again).
    func registeredWorker(_ id: String) async throws -> WorkerRecord {
        guard let worker = try await store.workers().first(where: { $0.id == id }) else {
            throw APIError(.notFound, "no worker \(id): register again (POST /v1/workers)")
        }
        return worker
    }

    /// The oldest queued run worker `workerID` can serve, leased to it; waits up to `wait` for one.
    public func claim(for workerID: String, wait: Duration) async throws -> FabricRun? {
        let worker = try await registeredWorker(workerID)
        let deadline = ContinuousClock.now + wait
        // A server shutting down answers "nothing" at once rather than hold its shutdown for the wait.
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let lease = Date().addingTimeInterval(Double(configuration.leaseSeconds))
            let claim = WorkerClaim(workerID: worker.id, labels: worker.labels, leaseUntil: lease)
            if let run = try await store.claimNextQueued(for: claim) {
                let folder = folder(of: run.id)
                if run.starts > 1 { folder.resetForRestart() }
                events.open(run.id)
                let observer = FabricRunObserver(runID: run.id, eventsFile: folder.events, hub: events)
                remoteEvents.withLock { $0[run.id] = observer }
                return run
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return nil }
            await signal.wait(upTo: min(left, .seconds(1)))
        }
        return nil
    }

    /// A worker's heartbeat: renews the leases it still holds and returns the runs it must stop
    /// (lost to an expired lease, or cancelled by a caller).
    public func heartbeat(workerID: String, tickets: [LeaseTicket]) async throws -> [String] {
        _ = try await registeredWorker(workerID)
        let now = Date()
        let lost = try await store.renewLeases(
            workerID: workerID,
            tickets: tickets,
            until: now.addingTimeInterval(Double(configuration.leaseSeconds)),
            now: now
        )
        let stopped = cancelled.withLock { cancelled in tickets.map(\.runID).filter { cancelled.contains($0) } }
        return Array(Set(lost + stopped)).sorted()
    }

    /// The run `runID` if attempt `fence` of worker `workerID` still holds it; 409 otherwise.
    func currentAttempt(runID: String, workerID: String, fence: Int) async throws -> FabricRun {
        guard let run = try await store.run(id: runID) else { throw APIError(.notFound, "no run \(runID)") }
        guard run.status == .running, run.starts == fence, run.workerID == workerID else {
            throw APIError(
                .conflict,
                "attempt \(fence) of run \(runID) no longer holds it (now: \(run.status.rawValue), attempt \(run.starts)); its lease was lost"
            )
        }
        return run
    }

    /// Records event lines (JSON objects, one per line) a worker sent for the attempt it holds.
    public func recordEvents(runID: String, workerID: String, fence: Int, lines: [String]) async throws {
        _ = try await currentAttempt(runID: runID, workerID: workerID, fence: fence)
        let observer = remoteEvents.withLock { observers in
            if let observer = observers[runID] { return observer }
            // This server restarted during the run: go on at the end of its events.
            let observer = FabricRunObserver(
                runID: runID,
                eventsFile: folder(of: runID).events,
                hub: events,
                appending: true
            )
            observers[runID] = observer
            return observer
        }
        for line in lines where line.first == "{" { observer.record(line: line) }
    }

    /// Takes the report a worker made for the attempt it holds (a `.tar.gz` of the report folder)
    /// and ends the run with its verdict. 409 when a newer attempt fenced this one out: the late
    /// report is dropped and the newer attempt's result stands.
    public func acceptResult(runID: String, workerID: String, fence: Int, archive: Data) async throws -> FabricRun {
        var run = try await currentAttempt(runID: runID, workerID: workerID, fence: fence)
        let folder = folder(of: runID)
        let incoming = folder.root.appendingPathComponent("report.incoming-\(fence)-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: incoming) }
        do {
            _ = try WorkspaceArchive(limits: configuration.archiveLimits).extract(archive, into: incoming)
        } catch {
            throw APIError(error.tooLarge ? .contentTooLarge : .badRequest, "the report archive: \(error.message)")
        }
        let report: TaaSReport
        do {
            report = try TaaSReport.read(from: Data(contentsOf: incoming.appendingPathComponent("report.json")))
        } catch {
            throw APIError(.unprocessableContent, "the report archive has no valid report.json: \(error)")
        }
        guard report.runID == runID else {
            throw APIError(.unprocessableContent, "the report is of run \(report.runID), not \(runID)")
        }
        run.take(report)
        let wasCancelled = cancelled.withLock { $0.remove(runID) != nil }
        run.status = wasCancelled ? .cancelled : .finished
        if wasCancelled { run.message = "cancelled (DELETE)" }
        run.finishedAt = Date()
        run.leaseExpiresAt = nil
        // The files first, then the row (only if this attempt still holds the run): a report never
        // shows without its row, and a fenced-out attempt's files are taken back.
        try? FileManager.default.removeItem(at: folder.report)
        do { try FileManager.default.moveItem(at: incoming, to: folder.report) } catch {
            throw APIError(.internalServerError, "cannot keep the report of \(runID): \(error)")
        }
        guard try await store.updateIfCurrent(run) else {
            try? FileManager.default.removeItem(at: folder.report)
            throw APIError(.conflict, "attempt \(fence) of run \(runID) was fenced out while its report arrived")
        }
        try? await store.recordCases(FabricCase.cases(of: report, digest: run.workspaceDigest))
        endRemoteEvents(of: runID, finished: true)
        metrics.finished(run)
        return run
    }

    /// Ends the run with verdict `error` when the worker holding it could not carry it out (the
    /// scope or the workspace could not be read there); no report.
    public func acceptFailure(runID: String, workerID: String, fence: Int, message: String) async throws -> FabricRun {
        var run = try await currentAttempt(runID: runID, workerID: workerID, fence: fence)
        run.status = .finished
        run.verdict = .error
        run.finishedAt = Date()
        run.leaseExpiresAt = nil
        run.message = "the run could not be carried out on worker \(workerID): \(message.prefix(2000))"
        guard try await store.updateIfCurrent(run) else {
            throw APIError(.conflict, "attempt \(fence) of run \(runID) was fenced out")
        }
        endRemoteEvents(of: runID, finished: true)
        metrics.finished(run)
        return run
    }

    /// Re-queues (once) or ends with `error` every run whose worker stopped renewing its lease.
    @discardableResult
    public func expireLeases(now: Date = Date()) async -> [FabricRun] {
        var changed: [FabricRun] = []
        for var run in (try? await store.expiredLeases(now: now)) ?? [] {
            let worker = run.workerID ?? "?"
            run.leaseExpiresAt = nil
            if run.starts >= Self.maximumStarts {
                run.status = .finished
                run.verdict = .error
                run.finishedAt = now
                run.message =
                    "the worker \(worker) stopped renewing its lease on attempt \(run.starts) of \(Self.maximumStarts); the run is not tried again"
            } else {
                run.status = .queued
                run.message =
                    "re-queued: the worker \(worker) stopped renewing its lease (\(configuration.leaseSeconds) s) on attempt \(run.starts)"
            }
            guard (try? await store.updateIfCurrent(run)) == true else { continue }
            endRemoteEvents(of: run.id, finished: run.status == .finished)
            if run.status == .queued { signal.notify() } else { metrics.finished(run) }
            changed.append(run)
        }
        return changed
    }

    /// Checks the leases until the task is cancelled, a few times per lease.
    func expireLeasesUntilCancelled() async {
        let period = Duration.milliseconds(max(200, min(1000, configuration.leaseSeconds * 250)))
        while !Task.isCancelled {
            await expireLeases()
            try? await Task.sleep(for: period)
        }
    }

    /// Closes a remote run's events file; its live channel too when the run ended (a re-queued
    /// run's followers wait for its next attempt).
    private func endRemoteEvents(of runID: String, finished: Bool) {
        remoteEvents.withLock { $0.removeValue(forKey: runID) }?.close()
        if finished { events.close(runID) }
    }

    /// Why a new run may wait long: no worker heard from lately has the labels it requires (told
    /// to the submitter, not kept with the run).
    public func waitingMessage(for requires: [String: String]) async -> String? {
        guard !requires.isEmpty else { return nil }
        if configuration.workers > 0, WorkerClaim.labels(localLabels.withLock { $0 }, satisfy: requires) {
            return nil
        }
        let recent = Date().addingTimeInterval(-Double(configuration.leaseSeconds))
        let workers = (try? await store.workers()) ?? []
        if workers.contains(where: { $0.lastHeartbeat > recent && WorkerClaim.labels($0.labels, satisfy: requires) }) {
            return nil
        }
        let wanted = requires.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        return "waiting for a worker with \(wanted): none is connected now"
    }
}
