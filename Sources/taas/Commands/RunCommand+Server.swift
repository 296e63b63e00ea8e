import Foundation
import TaaSCore
import TaaSFabric
import TaaSReporting

extension RunCommand {
    /// `taas run SCOPE --server URL`: tars the workspace (honouring .gitignore), submits it, shows the
    /// run's events in the same console as a local run (and writes them to `--events`), writes the
    /// report files into --out, and exits as a local run would. SIGINT or SIGTERM cancels the run on
    /// the server (its teardown still runs there) and waits for its report.
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
        let console = console(reportPath: outURL.appendingPathComponent("report.html").path)
        let observer = ObserverGroup(try observers(console: console))
        let runID: String
        do {
            let archive = try FabricClient.archive(workspace: workspaceURL, exclude: exclude)
            let submitted = try await client.submit(
                scope: try Data(contentsOf: scopeURL),
                workspaceArchive: archive,
                sandbox: sandboxOptions.sandbox,
                jobs: jobs,
                labels: labels,
                requires: requires.joined(separator: ",")
            )
            runID = submitted.runID
            if !quiet {
                // Unbuffered, as the console writes its lines: this one comes first.
                FileHandle.standardOutput.write(
                    Data("taas: submitted \(loaded.id) to \(server) as run \(runID)\n".utf8)
                )
            }
            if let warning = submitted.warning { ScopeLoading.printError("taas: \(warning)") }
            let (interruptions, interrupted) = AsyncStream.makeStream(of: Int32.self)
            let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { interrupted.yield($0) }
            defer { signals.cancel() }
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    await console.animate()
                    return false
                }
                group.addTask {
                    // The first signal cancels the run; its events go on up to run_finished.
                    for await _ in interruptions {
                        try? await client.cancel(runID)
                        break
                    }
                    return false
                }
                group.addTask {
                    try await client.followEvents(of: runID) { object in
                        if let event = EventStream.event(from: object) { observer.handle(event) }
                    }
                    return true
                }
                // The stream ends after run_finished; the console and the signal watch end with it.
                while let followed = try await group.next() {
                    if followed { break }
                }
                group.cancelAll()
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
        observer.handle(.runFinished(report))
        throw CommandOutcome.verdict(report.verdict)
    }
}
