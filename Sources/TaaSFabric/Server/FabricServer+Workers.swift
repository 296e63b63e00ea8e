import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

extension FabricServer {
    /// `/v1/workers`: registration, claims, heartbeats, and what a worker downloads and sends back.
    func addWorkerRoutes(to router: Router<FabricContext>) {
        let fabric = self.fabric

        router.post("/v1/workers") { request, context in
            try context.require(.worker)
            let registration = try await WorkerRegistration.decode(request, limit: 64 << 10)
            let worker = try await fabric.register(
                name: registration.name,
                slots: registration.slots,
                labels: registration.labels
            )
            return Response.json(
                RegisteredWorker(
                    workerID: worker.id,
                    leaseSeconds: fabric.configuration.leaseSeconds,
                    heartbeatSeconds: fabric.configuration.heartbeatSeconds
                ),
                status: .created
            )
        }

        router.get("/v1/workers") { _, context in
            try context.require(.read)
            return Response.json(["workers": try await fabric.workerViews()])
        }

        router.post("/v1/workers/:worker/claim") { request, context in
            try context.require(.worker)
            let worker = try context.parameters.require("worker")
            let wait = request.uri.queryParameters["wait"].flatMap { Int(String($0)) } ?? 20
            guard (0...60).contains(wait) else {
                throw APIError(.badRequest, "wait: expected 0 to 60 seconds, got \(wait)")
            }
            guard let run = try await fabric.claim(for: worker, wait: .seconds(wait)) else {
                return Response(status: .noContent)
            }
            return Response.json(ClaimedRun(run, leaseSeconds: fabric.configuration.leaseSeconds))
        }

        router.post("/v1/workers/:worker/heartbeat") { request, context in
            try context.require(.worker)
            let worker = try context.parameters.require("worker")
            let beat = try await Heartbeat.decode(request, limit: 1 << 20)
            let stop = try await fabric.heartbeat(workerID: worker, tickets: beat.runs)
            return Response.json(["stop": stop])
        }

        router.get("/v1/runs/:id/scope.json") { _, context in
            try context.require(.read)
            let run = try await fabric.existingRun(context)
            return try Response.file(fabric.folder(of: run.id).scopeFile, contentType: "application/json")
        }

        router.get("/v1/runs/:id/workspace.tar.gz") { _, context in
            try context.require(.worker)
            let run = try await fabric.existingRun(context)
            return try Response.file(fabric.folder(of: run.id).workspaceArchive, contentType: "application/gzip")
        }

        router.post("/v1/runs/:id/events") { request, context in
            try context.require(.worker)
            let run = try await fabric.existingRun(context)
            let (worker, fence) = try Self.attempt(of: request)
            var request = request
            let body = try await request.collectBody(upTo: 16 << 20)
            let lines = String(buffer: body).split(separator: "\n").map(String.init)
            try await fabric.recordEvents(runID: run.id, workerID: worker, fence: fence, lines: lines)
            return Response(status: .noContent)
        }

        router.post("/v1/runs/:id/result") { request, context in
            try context.require(.worker)
            let run = try await fabric.existingRun(context)
            let (worker, fence) = try Self.attempt(of: request)
            var request = request
            let body: ByteBuffer
            do { body = try await request.collectBody(upTo: fabric.configuration.maxUploadBytes) } catch {
                throw APIError(.contentTooLarge, "the report archive is larger than the upload limit")
            }
            // A JSON body: the worker could not carry the run out ({"error": "…"}); else the report.
            if request.headers[.contentType]?.hasPrefix("application/json") == true {
                struct Failure: Decodable { var error: String }
                guard let failure = try? JSONDecoder().decode(Failure.self, from: Data(buffer: body)) else {
                    throw APIError(.badRequest, "expected {\"error\": \"…\"} or a .tar.gz of the report folder")
                }
                let ended = try await fabric.acceptFailure(
                    runID: run.id,
                    workerID: worker,
                    fence: fence,
                    message: failure.error
                )
                return Response.json(fabric.view(ended))
            }
            let finished = try await fabric.acceptResult(
                runID: run.id,
                workerID: worker,
                fence: fence,
                archive: Data(buffer: body)
            )
            return Response.json(fabric.view(finished))
        }
    }

    /// The `worker` and `fence` query parameters of an event or result upload.
    static func attempt(of request: Request) throws(APIError) -> (worker: String, fence: Int) {
        let query = request.uri.queryParameters
        guard let worker = query["worker"].map(String.init), !worker.isEmpty else {
            throw APIError(.badRequest, "worker: the query needs the worker's id (?worker=…&fence=…)")
        }
        guard let fence = query["fence"].flatMap({ Int(String($0)) }) else {
            throw APIError(.badRequest, "fence: the query needs the attempt number the run was claimed with")
        }
        return (worker, fence)
    }
}
