import Foundation

extension HostTools {
    /// Takes the exclusive `flock` of `descriptor` (a cache entry's lock file, shared with other
    /// taas processes), waiting without holding a thread: a blocking `flock` in async code can
    /// deadlock the process, when the run holding the lock is suspended in this same process and
    /// every thread of Swift's cooperative pool waits in `flock` (seen with three runs making the
    /// same virtualenv on two cores). Returns `false` when the task was cancelled while waiting.
    public static func lockExclusively(_ descriptor: Int32) async -> Bool {
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { return false }
            do { try await Task.sleep(for: .milliseconds(20)) } catch { return false }
        }
        return true
    }
}
