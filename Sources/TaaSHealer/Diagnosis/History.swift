import Foundation
import TaaSCore
import TaaSIntegrity

/// Earlier runs for `--history DIR`: every folder under DIR with a `report.json` (and, when
/// present, its `manifest.json`).
enum History {
    static func read(_ folder: URL) throws(HealerError) -> [(report: TaaSReport, manifest: WorkspaceManifest?)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw HealerError(.input, "--history: cannot list \(folder.path); give a folder of earlier output folders")
        }
        var runs: [(report: TaaSReport, manifest: WorkspaceManifest?)] = []
        for name in names.sorted() {
            let run = folder.appendingPathComponent(name)
            let reportFile = run.appendingPathComponent("report.json")
            guard let data = FileManager.default.contents(atPath: reportFile.path) else { continue }
            let report: TaaSReport
            do { report = try TaaSReport.read(from: data) } catch {
                throw HealerError(.input, "--history: \(reportFile.path): \(error)")
            }
            let manifest = try? WorkspaceManifest.read(from: run.appendingPathComponent(WorkspaceManifest.fileName))
            runs.append((report, manifest))
        }
        return runs
    }
}
