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

    init(runID: String, eventsFile: URL, hub: EventHub) {
        self.runID = runID
        self.hub = hub
        FileManager.default.createFile(atPath: eventsFile.path, contents: nil)
        file = Mutex(FileHandle(forWritingAtPath: eventsFile.path))
    }

    func handle(_ event: RunEvent) {
        guard let data = EventStream.json(of: event) else { return }
        file.withLock { handle in try? handle?.write(contentsOf: data + Data([0x0A])) }
        hub.publish(String(decoding: data, as: UTF8.self), runID: runID)
    }

    func close() {
        file.withLock { handle in
            try? handle?.close()
            handle = nil
        }
    }
}
