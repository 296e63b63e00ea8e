import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TaaSCore

extension FabricServer {
    /// `/v1/runs`: submit, list, show, cancel, the report files and the events.
    func addRunRoutes(to router: Router<FabricContext>) {
        let fabric = self.fabric
        router.post("/v1/runs") { request, context in
            try context.require(.submit)
            var request = request
            let body: ByteBuffer
            do { body = try await request.collectBody(upTo: fabric.configuration.maxUploadBytes) } catch {
                throw APIError(
                    .contentTooLarge,
                    "the upload is larger than \(fabric.configuration.maxUploadBytes) bytes (taas serve --max-upload-mib)"
                )
            }
            let form = try MultipartForm(contentType: request.headers[.contentType], body: body)
            guard let scope = form["scope"] else { throw APIError(.badRequest, "the form has no 'scope' field") }
            guard let workspace = form["workspace"] else {
                throw APIError(.badRequest, "the form has no 'workspace' field (a .tar.gz of the workspace)")
            }
            var labels: [String: String] = [:]
            if let text = form["labels"] {
                guard let decoded = try? JSONDecoder().decode([String: String].self, from: text) else {
                    throw APIError(.unprocessableContent, "labels: expected a JSON object of strings")
                }
                labels = decoded
            }
            var jobs = 1
            if let text = form.text("jobs") {
                guard let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                    throw APIError(.unprocessableContent, "jobs: expected a number, got '\(text.prefix(40))'")
                }
                jobs = value
            }
            let sandbox = form.text("sandbox").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            let requires = try form.text("requires").map(RunRequirements.parse) ?? [:]
            let run = try await fabric.submit(
                Fabric.Submission(
                    scope: scope,
                    workspace: workspace,
                    sandbox: sandbox?.isEmpty == true ? nil : sandbox,
                    jobs: jobs,
                    labels: labels,
                    requires: requires
                )
            )
            var answer = ["run_id": run.id, "status": run.status.rawValue]
            answer["warning"] = await fabric.waitingMessage(for: run.requires)
            return Response.json(answer, status: .accepted, headers: [.location: "/v1/runs/\(run.id)"])
        }

        router.get("/v1/runs") { request, context in
            try context.require(.read)
            let query = request.uri.queryParameters
            var runQuery = RunQuery()
            runQuery.scopeID = query["scope_id"].map(String.init)
            if let verdict = query["verdict"] {
                guard let value = Verdict(rawValue: String(verdict)) else {
                    throw APIError(.badRequest, "verdict: expected pass, fail or error, got '\(verdict)'")
                }
                runQuery.verdict = value
            }
            if let label = query["label"] {
                guard let colon = label.firstIndex(of: ":") else {
                    throw APIError(.badRequest, "label: expected key:value, got '\(label)'")
                }
                runQuery.label = (String(label[..<colon]), String(label[label.index(after: colon)...]))
            }
            if let limit = query["limit"] {
                guard let value = Int(String(limit)), value >= 1 else {
                    throw APIError(.badRequest, "limit: expected a positive number, got '\(limit)'")
                }
                runQuery.limit = min(value, 500)
            }
            runQuery.cursor = query["cursor"].map(String.init)
            let page = try await fabric.store.runs(matching: runQuery)
            struct Page: Encodable {
                var runs: [RunView]
                var nextCursor: String?
                enum CodingKeys: String, CodingKey {
                    case runs
                    case nextCursor = "next_cursor"
                }
            }
            return Response.json(
                Page(runs: page.runs.map { fabric.view($0) }, nextCursor: page.nextCursor)
            )
        }

        router.get("/v1/runs/:id") { _, context in
            try context.require(.read)
            return Response.json(fabric.view(try await fabric.existingRun(context)))
        }

        router.delete("/v1/runs/:id") { _, context in
            try context.require(.submit)
            let id = try await fabric.existingRun(context).id
            guard let run = try await fabric.cancel(id) else { throw APIError(.notFound, "no run \(id)") }
            return Response.json(fabric.view(run), status: .accepted)
        }

        let files: [(String, String, String)] = [
            ("report", "report.json", "application/json"),
            ("report.html", "report.html", "text/html; charset=utf-8"),
            ("junit.xml", "junit.xml", "application/xml"),
            ("summary.md", "summary.md", "text/markdown; charset=utf-8"),
            ("trace.json", "trace.json", "application/json"),
        ]
        for (route, file, type) in files {
            router.get("/v1/runs/:id/\(route)") { _, context in
                try context.require(.read)
                let run = try await fabric.existingRun(context)
                guard let url = fabric.folder(of: run.id).reportFile(file) else {
                    throw APIError(.notFound, "run \(run.id) has no \(file) (status \(run.status.rawValue))")
                }
                return try Response.file(url, contentType: type)
            }
        }

        router.get("/v1/runs/:id/logs/**") { _, context in
            try context.require(.read)
            let run = try await fabric.existingRun(context)
            let path = context.parameters.getCatchAll().joined(separator: "/")
            guard let url = fabric.folder(of: run.id).reportFile("logs/" + path) else {
                throw APIError(.notFound, "run \(run.id) has no log logs/\(path)")
            }
            return try Response.file(url, contentType: "text/plain; charset=utf-8")
        }

        router.get("/v1/runs/:id/events") { _, context in
            try context.require(.read)
            let run = try await fabric.existingRun(context)
            let live = fabric.events.subscribe(run.id)
            let eventsFile = fabric.folder(of: run.id).events
            let body = ResponseBody { writer in
                if let live {
                    for await line in live { try await writer.write(ByteBuffer(string: "data: \(line)\n\n")) }
                } else if let data = FileManager.default.contents(atPath: eventsFile.path) {
                    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                        try await writer.write(ByteBuffer(string: "data: \(line)\n\n"))
                    }
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: body
            )
        }
    }
}

extension Fabric {
    /// The run named by the route's `id`, or 404.
    func existingRun(_ context: FabricContext) async throws -> FabricRun {
        let id = try context.parameters.require("id")
        guard let run = try await store.run(id: id) else { throw APIError(.notFound, "no run \(id)") }
        return run
    }

    /// The API's view of a run.
    func view(_ run: FabricRun) -> RunView {
        RunView(run, hasReport: folder(of: run.id).reportFile("report.json") != nil)
    }
}
