import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Synchronization
import TaaSCore
import TaaSEngine

/// `taas worker`: registers with a coordinator (`taas serve`), claims the runs its labels can
/// serve, judges each in a local sandbox, streams the events back, and uploads the report. A
/// heartbeat renews the leases of the runs it holds; the runs the coordinator names in its answer
/// (lease lost, or cancelled) are interrupted.
///
/// When the worker stops (SIGTERM, the task cancelled) the runs it holds are interrupted and not
/// reported: their leases run out and the coordinator queues them again.
public struct RemoteWorker: Sendable {
    public var client: FabricClient
    public var name: String
    public var slots: Int
    /// What it advertises: detected capabilities and the operator's labels.
    public var labels: [String: String]
    public var allowUnsafeLocal: Bool
    public var cacheDirectory: URL
    /// Where each claimed run's scope, workspace and report are kept while it runs.
    public var workFolder: URL
    public var telemetry: (any RunTelemetry)?
    /// Hears one line per thing worth telling (registered, claimed, finished, trouble).
    public var log: @Sendable (String) -> Void

    public init(
        client: FabricClient,
        name: String,
        slots: Int,
        labels: [String: String],
        allowUnsafeLocal: Bool,
        cacheDirectory: URL,
        workFolder: URL,
        telemetry: (any RunTelemetry)? = nil,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.client = client
        self.name = name
        self.slots = slots
        self.labels = labels
        self.allowUnsafeLocal = allowUnsafeLocal
        self.cacheDirectory = cacheDirectory
        self.workFolder = workFolder
        self.telemetry = telemetry
        self.log = log
    }

    /// The runs held now, by id: the attempt claimed and how to interrupt it.
    final class Held: Sendable {
        let runs = Mutex<[String: (fence: Int, interruption: RunInterruption)]>([:])
        let workerID = Mutex("")
    }

    /// Works until the task is cancelled. Throws only when the coordinator refuses the token.
    public func run() async throws {
        let held = Held()
        let registered = try await register()
        held.workerID.withLock { $0 = registered.workerID }
        log(
            "registered as \(registered.workerID) (\(slots) slot\(slots == 1 ? "" : "s"); "
                + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + ")"
        )
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await heartbeats(every: registered.heartbeatSeconds, held: held) }
            for _ in 0..<slots {
                group.addTask { await claimAndRun(held: held) }
            }
        }
    }

    // MARK: Registration and heartbeats

    /// Registers, retrying (with a growing pause) while the coordinator cannot be reached.
    func register() async throws -> RegisteredWorker {
        var pause = Duration.milliseconds(200)
        while true {
            do {
                let body = try JSONEncoder().encode(WorkerRegistration(name: name, slots: slots, labels: labels))
                let answer = try await client.send(.POST, "/v1/workers", contentType: "application/json", body: body)
                return try JSONDecoder().decode(RegisteredWorker.self, from: answer)
            } catch let failure as FabricClient.Failure where failure.status == 401 || failure.status == 403 {
                throw failure
            } catch {
                log("cannot register with \(client.server) (\(error)); trying again in \(pause)")
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    private func heartbeats(every seconds: Double, held: Held) async throws {
        var failing = false
        while !Task.isCancelled {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            let tickets = held.runs.withLock { $0.map { LeaseTicket(runID: $0.key, fence: $0.value.fence) } }
            let workerID = held.workerID.withLock { $0 }
            do {
                let body = try JSONEncoder().encode(Heartbeat(runs: tickets))
                let answer = try await client.send(
                    .POST,
                    "/v1/workers/\(workerID)/heartbeat",
                    contentType: "application/json",
                    body: body
                )
                if failing { log("the coordinator answers again") }
                failing = false
                let stop =
                    (try JSONSerialization.jsonObject(with: answer) as? [String: Any])?["stop"] as? [String] ?? []
                for id in stop {
                    guard let interruption = held.runs.withLock({ $0[id]?.interruption }) else { continue }
                    log("run \(id): the coordinator took it back (lease lost or cancelled); stopping it")
                    interruption.interrupt(
                        reason: "the coordinator took the run back (its lease was lost, or it was cancelled)"
                    )
                }
            } catch let failure as FabricClient.Failure where failure.status == 404 {
                // The coordinator no longer knows this worker (its database was reset): register again.
                let again = try await register()
                held.workerID.withLock { $0 = again.workerID }
                log("registered again as \(again.workerID)")
            } catch {
                if !failing { log("heartbeat failed (\(error)); the runs go on, retrying") }
                failing = true
            }
        }
    }

    // MARK: Runs

    private func claimAndRun(held: Held) async {
        var pause = Duration.milliseconds(200)
        while !Task.isCancelled {
            let workerID = held.workerID.withLock { $0 }
            do {
                let answer = try await client.send(.POST, "/v1/workers/\(workerID)/claim?wait=20")
                pause = .milliseconds(200)
                guard !answer.isEmpty else { continue }  // 204: nothing for this worker yet
                let claimed = try JSONDecoder().decode(ClaimedRun.self, from: answer)
                await execute(claimed, workerID: workerID, held: held)
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    /// Downloads, judges and reports one claimed run.
    private func execute(_ claimed: ClaimedRun, workerID: String, held: Held) async {
        let id = claimed.runID
        let attempt = "?worker=\(workerID)&fence=\(claimed.fence)"
        let folder = workFolder.appendingPathComponent("\(id)-\(claimed.fence)")
        let interruption = RunInterruption()
        held.runs.withLock { $0[id] = (claimed.fence, interruption) }
        defer {
            held.runs.withLock { _ = $0.removeValue(forKey: id) }
            try? FileManager.default.removeItem(at: folder)
        }
        log("run \(id): claimed (attempt \(claimed.fence), scope \(claimed.scopeID))")
        let execution: RunExecution
        do { execution = try await download(claimed, into: folder) } catch let error as FabricClient.Failure {
            await report(.failure(error), of: id, attempt: attempt)
            return
        } catch {
            // The coordinator could not be reached: leave the run to its lease, which queues it again.
            log("run \(id): cannot download it (\(error)); the coordinator queues it again when the lease ends")
            return
        }
        // A sandbox folder an earlier attempt on this machine left behind would stop this one.
        OrphanSweeper.removeSandboxFolder(of: id)
        let forwarder = EventForwarder()
        let outcome = await withTaskGroup(of: Void.self, returning: Result<RunOutcome, any Error>.self) { group in
            group.addTask { await forwardEvents(forwarder, path: "/v1/runs/\(id)/events\(attempt)") }
            defer { group.cancelAll() }
            do {
                return .success(
                    try await execution.judge(
                        claimed.run,
                        observer: forwarder,
                        interruption: interruption,
                        cancelReason: "the worker is stopping"
                    )
                )
            } catch {
                return .failure(error)
            }
        }
        if Task.isCancelled {
            log("run \(id): interrupted because the worker stops; the coordinator queues it again when its lease ends")
            return
        }
        // The last events before the report, however long the coordinator takes to come back.
        var pause = Duration.milliseconds(200)
        for _ in 0..<100 {
            await send(forwarder, to: "/v1/runs/\(id)/events\(attempt)")
            if forwarder.isEmpty { break }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(5))
        }
        await report(outcome, of: id, attempt: attempt, folder: folder)
    }

    /// Uploads the report folder of a judged run, or the error that kept it from being judged.
    private func report(
        _ outcome: Result<RunOutcome, any Error>,
        of id: String,
        attempt: String,
        folder: URL? = nil
    ) async {
        switch outcome {
        case .success(let ran):
            guard let folder else { return }
            do {
                let archive = try FabricClient.archive(workspace: folder.appendingPathComponent("report"))
                try await deliver("/v1/runs/\(id)/result\(attempt)", contentType: "application/gzip", body: archive)
                log("run \(id): \(ran.report.verdict.rawValue) in \(ran.report.durationMS) ms, reported")
            } catch {
                log("run \(id): the report was not taken: \(error)")
            }
        case .failure(let error):
            let body = (try? JSONSerialization.data(withJSONObject: ["error": "\(error)"])) ?? Data()
            do {
                try await deliver("/v1/runs/\(id)/result\(attempt)", contentType: "application/json", body: body)
            } catch {
                log("run \(id): the failure was not taken: \(error)")
            }
            log("run \(id): could not be carried out: \(error)")
        }
    }

    /// The run's scope and workspace, unpacked under `folder`, and how to judge them.
    private func download(_ claimed: ClaimedRun, into folder: URL) async throws -> RunExecution {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scopeFile = folder.appendingPathComponent("scope.json")
        try await client.get("/v1/runs/\(claimed.runID)/scope.json").write(to: scopeFile)
        let archive = try await client.get("/v1/runs/\(claimed.runID)/workspace.tar.gz")
        let workspace = folder.appendingPathComponent("workspace")
        do { _ = try WorkspaceArchive().extract(archive, into: workspace) } catch {
            throw FabricClient.Failure(status: 0, message: "the workspace archive: \(error.message)")
        }
        return RunExecution(
            scopeFile: scopeFile,
            workspace: workspace,
            reportFolder: folder.appendingPathComponent("report"),
            allowUnsafeLocal: allowUnsafeLocal,
            cacheDirectory: cacheDirectory,
            telemetry: telemetry
        )
    }

    /// Sends the gathered events twice a second until cancelled.
    private func forwardEvents(_ forwarder: EventForwarder, path: String) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(500))
            // Not cancelled halfway: a request cut off after the coordinator took it would make its
            // lines look unsent, and send them twice.
            await Task { await send(forwarder, to: path) }.value
        }
    }

    /// Sends event lines; while the coordinator cannot be reached they are kept for the next time
    /// (a refusal, 409 for a lost lease, drops them).
    private func send(_ forwarder: EventForwarder, to path: String) async {
        let lines = forwarder.take()
        guard !lines.isEmpty else { return }
        let body = Data(lines.joined(separator: "\n").utf8)
        do {
            _ = try await client.send(.POST, path, contentType: "application/x-ndjson", body: body)
        } catch is FabricClient.Failure {
            return
        } catch {
            forwarder.putBack(lines)
        }
    }

    /// POSTs a result, retrying for up to five minutes while the coordinator cannot be reached; a
    /// refusal (409: the attempt was fenced out) is final.
    private func deliver(_ path: String, contentType: String, body: Data) async throws {
        var pause = Duration.milliseconds(200)
        let deadline = ContinuousClock.now + .seconds(300)
        while true {
            do {
                _ = try await client.send(.POST, path, contentType: contentType, body: body)
                return
            } catch let failure as FabricClient.Failure {
                throw failure
            } catch {
                guard ContinuousClock.now < deadline else { throw error }
                try await Task.sleep(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }
}
