import Foundation
import Synchronization
import TaaSCore
import TaaSReporting

/// Records a run's events as `taas run --events` writes them: one JSON line per event in the run's
/// `events.jsonl`, and each line to the ``EventHub`` for the Server-Sent Events.
final class FabricRunObserver: RunObserver {
    private let runID: String
    private let hub: EventHub
    private let file: Mutex<FileHandle?>

    /// Starts the run's `events.jsonl` afresh, or (`appending`) goes on at its end: a remote run's
    /// events after this server restarted.
    init(runID: String, eventsFile: URL, hub: EventHub, appending: Bool = false) {
        self.runID = runID
        self.hub = hub
        if !appending || !FileManager.default.fileExists(atPath: eventsFile.path) {
            FileManager.default.createFile(atPath: eventsFile.path, contents: nil)
        }
        let handle = FileHandle(forWritingAtPath: eventsFile.path)
        _ = try? handle?.seekToEnd()
        file = Mutex(handle)
    }

    func handle(_ event: RunEvent) {
        guard let data = EventStream.json(of: event) else { return }
        record(line: String(decoding: data, as: UTF8.self))
    }

    /// Records one event line (a JSON object) as it came from a remote worker.
    func record(line: String) {
        file.withLock { handle in try? handle?.write(contentsOf: Data(line.utf8) + Data([0x0A])) }
        hub.publish(line, runID: runID)
    }

    func close() {
        file.withLock { handle in
            try? handle?.close()
            handle = nil
        }
    }
}
