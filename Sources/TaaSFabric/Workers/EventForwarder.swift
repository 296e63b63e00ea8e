import Foundation
import Synchronization
import TaaSCore
import TaaSReporting

/// A remote worker's observer: keeps each event as the JSON line `taas run --events` writes, and
/// hands the lines gathered so far to ``take()`` (sent to the coordinator in batches).
final class EventForwarder: RunObserver {
    private let pending = Mutex<[String]>([])

    func handle(_ event: RunEvent) {
        guard let data = EventStream.json(of: event) else { return }
        pending.withLock { $0.append(String(decoding: data, as: UTF8.self)) }
    }

    /// Puts lines that could not be sent back in front of the newer ones, to be sent next time.
    func putBack(_ lines: [String]) {
        pending.withLock { $0.insert(contentsOf: lines, at: 0) }
    }

    /// Whether no line waits to be sent.
    var isEmpty: Bool { pending.withLock { $0.isEmpty } }

    /// The lines gathered since the last call.
    func take() -> [String] {
        pending.withLock { lines in
            defer { lines = [] }
            return lines
        }
    }
}
