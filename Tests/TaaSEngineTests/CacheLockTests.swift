import Foundation
import TaaSSandboxes
import Testing

/// The cache's lock files (a virtualenv, a wheelhouse) are waited for without holding a thread: more
/// runs waiting than Swift's cooperative pool has threads once deadlocked `taas serve` and the test
/// process, the run holding the lock never getting a thread back to finish its work.
@Suite struct CacheLockTests {
    @Test(.timeLimit(.minutes(1))) func moreWaitersThanThreadsStillLetTheHolderFinish() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("taas-lock-\(UUID().uuidString)").path
        defer { unlink(path) }
        let holder = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        #expect(holder >= 0)
        defer { close(holder) }
        #expect(await HostTools.lockExclusively(holder))
        let waiters = ProcessInfo.processInfo.activeProcessorCount * 2 + 2
        let acquired = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<waiters {
                group.addTask {
                    let descriptor = open(path, O_RDWR | O_CLOEXEC)
                    defer { close(descriptor) }
                    let locked = await HostTools.lockExclusively(descriptor)
                    flock(descriptor, LOCK_UN)
                    return locked
                }
            }
            // The holder is suspended while the waiters wait, as a run is while pip installs.
            try await Task.sleep(for: .milliseconds(300))
            flock(holder, LOCK_UN)
            return try await group.reduce(into: 0) { count, locked in count += locked ? 1 : 0 }
        }
        #expect(acquired == waiters)
    }

    @Test func aCancelledWaitGivesUp() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("taas-lock-\(UUID().uuidString)").path
        defer { unlink(path) }
        let holder = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        defer { close(holder) }
        #expect(await HostTools.lockExclusively(holder))
        let waiter = Task {
            let descriptor = open(path, O_RDWR | O_CLOEXEC)
            defer { close(descriptor) }
            return await HostTools.lockExclusively(descriptor)
        }
        try await Task.sleep(for: .milliseconds(100))
        waiter.cancel()
        #expect(await waiter.value == false)
    }
}
