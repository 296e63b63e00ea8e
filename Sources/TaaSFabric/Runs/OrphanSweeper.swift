import Foundation

/// Removes what runs that died (kill -9, a crash) left in the temporary folder: their sandbox
/// folders `$TMPDIR/taas-<run id>` (the workspace copy the jail, venv and Docker sandboxes make).
public enum OrphanSweeper {
    /// The temporary folder the sandboxes use.
    static var temporaryFolder: URL {
        URL(fileURLWithPath: ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")
    }

    /// The sandbox folder of run `id`.
    static func sandboxFolder(of runID: String) -> URL {
        temporaryFolder.appendingPathComponent("taas-\(runID)")
    }

    /// Removes the sandbox folder of run `id`, if there is one. Files the sandbox made read-only are
    /// made writable first.
    static func removeSandboxFolder(of runID: String) {
        remove(sandboxFolder(of: runID))
    }

    /// Removes every `taas-<run id>` folder of the temporary folder whose run is gone: no live process
    /// names it in its command line or works in it (a live run's sandbox processes do), and its run
    /// started more than `minimumAge` ago (a run that is still copying its workspace has no process
    /// yet). Returns the folders removed.
    @discardableResult
    public static func sweepAbandonedFolders(minimumAge: TimeInterval = 600) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporaryFolder.path)) ?? []
        let candidates = names.filter { $0.hasPrefix("taas-") && runStart(of: String($0.dropFirst(5))) != nil }
        guard !candidates.isEmpty else { return [] }
        let referenced = referencedPaths()
        var removed: [URL] = []
        for name in candidates {
            let folder = temporaryFolder.appendingPathComponent(name)
            guard let started = runStart(of: String(name.dropFirst(5))),
                Date().timeIntervalSince(started) > minimumAge,
                !referenced.contains(where: { $0.contains(folder.path) })
            else { continue }
            remove(folder)
            removed.append(folder)
        }
        return removed
    }

    /// When a run with this id started (`20261126T031243Z-667e0334`), or nil for another name.
    static func runStart(of runID: String) -> Date? {
        let characters = Array(runID.utf8)
        guard characters.count > 17, characters[8] == UInt8(ascii: "T"), characters[15] == UInt8(ascii: "Z"),
            characters[16] == UInt8(ascii: "-")
        else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            Int32(String(decoding: characters[range], as: UTF8.self))
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
            let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
        else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    /// The command lines and working folders of every live process.
    private static func referencedPaths() -> [String] {
        let pids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { Int($0) != nil }
        return pids.flatMap { pid -> [String] in
            var found: [String] = []
            if let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") {
                found.append(String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self))
            }
            if let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd") {
                found.append(cwd)
            }
            return found
        }
    }

    private static func remove(_ folder: URL) {
        guard FileManager.default.fileExists(atPath: folder.path) else { return }
        if let walker = FileManager.default.enumerator(atPath: folder.path) {
            for case let path as String in walker {
                chmod(folder.appendingPathComponent(path).path, 0o700)
            }
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
