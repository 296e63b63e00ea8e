import Foundation
import TaaSCore

/// The local runs `list_runs` finds: every `report.json` in a folder and up to three levels below
/// it (the `--out` folders of `taas run`), newest first.
enum RunListing {
    /// The folders never looked into.
    static let skipped: Set<String> = [".git", ".build", "node_modules", ".venv", "venv", "__pycache__", "logs"]

    static func find(under root: URL, depth: Int = 3) -> [(file: URL, report: TaaSReport)] {
        var found: [(file: URL, report: TaaSReport)] = []
        func visit(_ folder: URL, _ level: Int) {
            let report = folder.appendingPathComponent("report.json")
            if let data = FileManager.default.contents(atPath: report.path), let read = try? TaaSReport.read(from: data)
            {
                found.append((report, read))
            }
            guard level < depth,
                let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
            else { return }
            for name in names.sorted() where !skipped.contains(name) && !name.hasPrefix(".") {
                let child = folder.appendingPathComponent(name)
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: child.path, isDirectory: &isFolder), isFolder.boolValue {
                    visit(child, level + 1)
                }
            }
        }
        visit(root, 0)
        return found.sorted { $0.report.startedAt > $1.report.startedAt }
    }
}
