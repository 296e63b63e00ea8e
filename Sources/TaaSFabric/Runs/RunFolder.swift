import Foundation

/// The files of one run under the data folder: `DIR/runs/<run_id>/` with the uploaded `scope.json`,
/// the unpacked `workspace/`, the report files in `report/` (report.json, report.html, junit.xml,
/// summary.md, logs/) and the run's events as JSON lines in `events.jsonl`.
public struct RunFolder: Sendable {
    public let root: URL

    /// The folder of run `id` under the data folder `dataFolder`.
    public init(dataFolder: URL, runID: String) {
        root = dataFolder.appendingPathComponent("runs").appendingPathComponent(runID)
    }

    public var scopeFile: URL { root.appendingPathComponent("scope.json") }
    public var workspace: URL { root.appendingPathComponent("workspace") }
    /// The workspace archive as it was uploaded, for remote workers to download.
    public var workspaceArchive: URL { root.appendingPathComponent("workspace.tar.gz") }
    public var report: URL { root.appendingPathComponent("report") }
    public var events: URL { root.appendingPathComponent("events.jsonl") }

    /// A file of the report folder by a relative path from a URL (`logs/UNIT-001.attempt-1.stdout.log`);
    /// `nil` when the path is absolute, has `..` or names no regular file.
    public func reportFile(_ relativePath: String) -> URL? {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: true)
        guard !relativePath.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else {
            return nil
        }
        let url = parts.reduce(report) { $0.appendingPathComponent(String($1)) }
        guard RunFolder.type(of: url) == .typeRegular else { return nil }
        return url
    }

    /// Removes the bulky parts of an ended run, its uploaded workspace (unpacked and archived) and its
    /// logs, and keeps what
    /// the history needs: the scope, the report files (report.json, report.html, junit.xml,
    /// summary.md, trace.json) and the events. Returns whether anything was removed.
    @discardableResult
    public func prune() -> Bool {
        var removed = false
        for bulky in [workspace, workspaceArchive, report.appendingPathComponent("logs")]
        where RunFolder.type(of: bulky) != nil {
            removed = (try? FileManager.default.removeItem(at: bulky)) != nil || removed
        }
        return removed
    }

    /// Removes what an earlier, interrupted attempt left (report files, events), keeping the upload.
    public func resetForRestart() {
        try? FileManager.default.removeItem(at: report)
        try? FileManager.default.removeItem(at: events)
    }

    /// The type of the item at `url` itself (a link is not followed), or nil when there is none.
    static func type(of url: URL) -> FileAttributeType? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
    }
}
