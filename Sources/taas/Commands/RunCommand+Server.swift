import Foundation
import TaaSCore
import TaaSFabric

extension RunCommand {
    /// `taas run SCOPE --server URL`: tars the workspace (honouring .gitignore), submits it, prints the
    /// run's events as they come, writes the report files into --out, and exits as a local run would.
    func runOnServer(_ server: String, scope loaded: TestScope) async throws {
        let client = FabricClient(server: server, token: token ?? ProcessInfo.processInfo.environment["TAAS_TOKEN"])
        let scopeURL = URL(fileURLWithPath: scope).standardizedFileURL
        let workspaceURL =
            workspace.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? scopeURL.deletingLastPathComponent()
        let outURL = URL(fileURLWithPath: out).standardizedFileURL
        var labels: [String: String] = [:]
        for pair in label {
            guard let equals = pair.firstIndex(of: "=") else {
                throw CommandOutcome.error("taas run: --label expects key=value, not '\(pair)'")
            }
            labels[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let exclude =
            outURL.path.hasPrefix(workspaceURL.path + "/")
            ? [String(outURL.path.dropFirst(workspaceURL.path.count + 1))] : []
        let runID: String
        do {
            let archive = try FabricClient.archive(workspace: workspaceURL, exclude: exclude)
            runID = try await client.submit(
                scope: try Data(contentsOf: scopeURL),
                workspaceArchive: archive,
                sandbox: sandboxOptions.sandbox,
                jobs: jobs,
                labels: labels
            )
            if !quiet { print("submitted \(loaded.id) to \(server): run \(runID)") }
            let quiet = self.quiet
            try await client.followEvents(of: runID) { event in
                guard !quiet, let line = Self.describe(event) else { return }
                print(line)
            }
            try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true)
            for file in ["report.json", "report.html", "junit.xml", "summary.md"] {
                let path = file == "report.json" ? "report" : file
                if let data = try? await client.get("/v1/runs/\(runID)/\(path)") {
                    try data.write(to: outURL.appendingPathComponent(file))
                }
            }
        } catch let failure as FabricClient.Failure {
            throw CommandOutcome.error("taas run --server: \(failure)")
        }
        let report = try TaaSReport.read(from: Data(contentsOf: outURL.appendingPathComponent("report.json")))
        print("\(report.verdict.rawValue.uppercased()) \(report.scopeID) (run \(runID)); report in \(outURL.path)")
        throw CommandOutcome.verdict(report.verdict)
    }

    /// One console line for an event of the stream, or nil for the quiet ones.
    static func describe(_ event: [String: Any]) -> String? {
        switch event["event"] as? String {
        case "phase_started": return "· \(event["phase"] ?? "")"
        case "scenario_finished":
            return
                "  \(String(describing: event["verdict"] ?? "").uppercased()) \(event["id"] ?? "") (\(event["duration_ms"] ?? 0) ms)"
        case "note": return "  note: \(event["message"] ?? "")"
        default: return nil
        }
    }
}
