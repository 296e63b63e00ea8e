import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat
import TaaSCore
import TaaSIntegrity
import TaaSReporting

extension FabricServer {
    /// `POST /v1/reports`: stores a report.json made elsewhere, with `origin: "uploaded"`.
    func addReportRoutes(to router: Router<FabricContext>) {
        let fabric = self.fabric
        router.post("/v1/reports") { request, context in
            try context.require(.submit)
            var request = request
            let body = try await request.collectBody(upTo: fabric.configuration.maxUploadBytes)
            let data = Data(buffer: body)
            let run = try await fabric.ingest(data)
            return Response.json(
                ["run_id": run.id, "status": run.status.rawValue, "origin": run.origin.rawValue],
                status: .created,
                headers: [.location: "/v1/runs/\(run.id)"]
            )
        }
    }
}

extension Fabric {
    /// Checks and stores an uploaded report. With trusted keys (`--trust-key`), the report must be
    /// signed by one of them, unchanged.
    /// - Throws: ``APIError`` 422 for a report that is not a TaaS report or whose signature does not
    ///   hold, 409 when a run with its id exists.
    func ingest(_ data: Data) async throws(APIError) -> FabricRun {
        let report: TaaSReport
        do { report = try TaaSReport.read(from: data) } catch {
            throw APIError(
                .unprocessableContent,
                "not a TaaS report",
                problems: [APIError.Problem(path: error.path.description, message: error.message)]
            )
        }
        if !configuration.trustedKeys.isEmpty {
            var problems: [String] = []
            var valid = false
            for raw in configuration.trustedKeys {
                guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw),
                    let verification = try? ReportSignature.verify(data, with: key)
                else { continue }
                if verification.valid {
                    valid = true
                    break
                }
                problems += verification.problems
            }
            guard valid else {
                throw APIError(
                    .unprocessableContent,
                    "the report's signature does not hold for any trusted key (taas serve --trust-key)",
                    problems: Array(Set(problems)).sorted().map { APIError.Problem(path: "signature", message: $0) }
                )
            }
        }
        guard (try? await store.run(id: report.runID)) == nil,
            report.runID.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !report.runID.hasPrefix(".")
        else {
            throw APIError(.conflict, "a run with the id \(report.runID) exists (or the id is not a plain name)")
        }
        let folder = folder(of: report.runID)
        do {
            try FileManager.default.createDirectory(at: folder.report, withIntermediateDirectories: true)
            try data.write(to: folder.report.appendingPathComponent("report.json"))
            for format in [ReportFormat.junit, .html, .md] {
                try format.render(report).write(to: folder.report.appendingPathComponent(format.fileName))
            }
            var run = FabricRun(id: report.runID, scopeID: report.scopeID, status: .finished, origin: .uploaded)
            run.verdict = report.verdict
            run.summary = report.summary
            run.startedAt = report.startedAt
            run.finishedAt = report.finishedAt
            run.durationMS = report.durationMS
            run.traceID = report.telemetry?.traceID
            try await store.insert(run)
            try await store.recordCases(FabricCase.cases(of: report, digest: nil))
            return run
        } catch {
            throw APIError(.internalServerError, "cannot store the report: \(error)")
        }
    }
}
