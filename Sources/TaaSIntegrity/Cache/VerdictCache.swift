import Foundation
import TaaSCore

/// Reports of earlier runs by the key of their inputs (`taas run --cache`).
///
/// Each entry is a folder `<root>/<key>/` with `entry.json` (the key's parts, the run id, the
/// verdict), `report.json` and `logs/`. An entry is written to a temporary folder and renamed into
/// place, so a reader never sees half an entry; two runs that store the same key keep one.
public struct VerdictCache: Sendable {
    /// One stored report.
    public struct Entry: Sendable, Codable, Equatable {
        public var key: String
        public var parts: [String: String]
        public var runID: String
        public var scopeID: String
        public var verdict: Verdict
        public var storedAt: Date

        enum CodingKeys: String, CodingKey {
            case key, parts
            case runID = "run_id"
            case scopeID = "scope_id"
            case verdict
            case storedAt = "stored_at"
        }
    }

    public var root: URL

    public init(root: URL) {
        self.root = root
    }

    /// Whether a report may be served to a later run: only clean `pass` and `fail` verdicts, never
    /// flaky, errored or interrupted ones.
    public static func isCacheable(_ report: TaaSReport) -> Bool {
        guard report.verdict == .pass || report.verdict == .fail else { return false }
        guard report.errors.isEmpty, report.cached != true else { return false }
        return !report.scenarios.contains { $0.flaky || $0.verdict == .error || $0.verdict == .skipped }
    }

    /// The stored report for `key` and the folder its logs are in, or `nil`.
    public func lookup(_ key: VerdictCacheKey) -> (entry: Entry, report: TaaSReport, logs: URL)? {
        let folder = root.appendingPathComponent(key.hex)
        guard let entryData = FileManager.default.contents(atPath: folder.appendingPathComponent("entry.json").path),
            let reportData = FileManager.default.contents(atPath: folder.appendingPathComponent("report.json").path),
            let entry = try? Self.decoder.decode(Entry.self, from: entryData), entry.key == key.digest,
            let report = try? TaaSReport.decode(from: reportData), Self.isCacheable(report)
        else { return nil }
        return (entry, report, folder.appendingPathComponent("logs"))
    }

    /// Stores `report` and a copy of its logs under `key`, when the report may be cached.
    @discardableResult
    public func store(_ report: TaaSReport, logs: URL, key: VerdictCacheKey) throws(IntegrityError) -> Bool {
        guard Self.isCacheable(report) else { return false }
        let folder = root.appendingPathComponent(key.hex)
        let staging = root.appendingPathComponent(".staging-\(UUID().uuidString)")
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            defer { try? manager.removeItem(at: staging) }
            let entry = Entry(
                key: key.digest,
                parts: key.parts,
                runID: report.runID,
                scopeID: report.scopeID,
                verdict: report.verdict,
                storedAt: Date()
            )
            try Self.encoder.encode(entry).write(to: staging.appendingPathComponent("entry.json"))
            try report.jsonData().write(to: staging.appendingPathComponent("report.json"))
            if manager.fileExists(atPath: logs.path) {
                try manager.copyItem(at: logs, to: staging.appendingPathComponent("logs"))
            }
            try? manager.removeItem(at: folder)
            try manager.moveItem(at: staging, to: folder)
            return true
        } catch {
            if manager.fileExists(atPath: folder.appendingPathComponent("entry.json").path) { return true }
            throw IntegrityError(
                "cannot store the report in the verdict cache \(root.path): \(error.localizedDescription)"
            )
        }
    }

    /// Every stored entry, newest first.
    public func entries() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.compactMap { name in
            FileManager.default.contents(
                atPath: root.appendingPathComponent(name).appendingPathComponent("entry.json").path
            )
            .flatMap { try? Self.decoder.decode(Entry.self, from: $0) }
        }.sorted { $0.storedAt > $1.storedAt }
    }

    /// Removes every entry; returns how many there were.
    @discardableResult
    public func clear() throws(IntegrityError) -> Int {
        let count = entries().count
        do {
            if FileManager.default.fileExists(atPath: root.path) { try FileManager.default.removeItem(at: root) }
        } catch {
            throw IntegrityError("cannot clear the verdict cache \(root.path): \(error.localizedDescription)")
        }
        return count
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
