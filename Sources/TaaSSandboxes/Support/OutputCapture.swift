import Foundation
import Synchronization
import TaaSCore

/// Captures a step's stdout and stderr through pipes: each stream goes to a log file up to a size
/// cap, and its last bytes are kept for the report, so a flood costs neither memory nor disk.
///
/// One thread per step reads both pipes until every writer is gone, which for a step whose
/// background processes outlive it (setup, services) is the end of the sandbox.
final class OutputCapture: Sendable {
    private struct Stream {
        var readEnd: Int32
        var log: Int32
        var logName: String
        var written = 0
        var total = 0
        var tail: [UInt8] = []
        var open = true
    }

    private struct State {
        var streams: [Stream]
        var finished = false
        var finishWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter = 0
    }

    private let state: Mutex<State>
    private let logDirectory: URL
    private let limit: Int
    private let tailBytes: Int
    /// The write ends, to be passed to the step and then closed here.
    let writeEnds: [Int32]

    /// Makes the pipes and log files `LOGDIR/<label>.stdout.log` and `.stderr.log`.
    init(label: String, logDirectory: URL, limit: Int, tailBytes: Int) throws(SandboxError) {
        var streams: [Stream] = []
        var writeEnds: [Int32] = []
        for name in ["stdout", "stderr"] {
            var fds: [Int32] = [0, 0]
            // Subprocess closes descriptors above 2 in the programs it starts, so FD_CLOEXEC set
            // right after pipe() is enough for the harness's own spawns.
            guard pipe(&fds) == 0 else {
                for stream in streams {
                    Glibc.close(stream.readEnd)
                    Glibc.close(stream.log)
                }
                for fd in writeEnds { Glibc.close(fd) }
                throw SandboxError(
                    .broken,
                    "cannot make a pipe for a step's output: \(String(cString: strerror(errno)))"
                )
            }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
            let logName = "\(label).\(name).log"
            let log = open(
                logDirectory.appendingPathComponent(logName).path,
                O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                0o644
            )
            streams.append(Stream(readEnd: fds[0], log: log, logName: logName))
            writeEnds.append(fds[1])
        }
        self.state = Mutex(State(streams: streams))
        self.logDirectory = logDirectory
        self.limit = limit
        self.tailBytes = tailBytes
        self.writeEnds = writeEnds
        let thread = Thread { [self] in self.pump() }
        thread.name = "taas-output-\(label)"
        thread.start()
    }

    /// Closes the harness's copies of the write ends, once they have been handed to the step.
    func closeWriteEnds() {
        for fd in writeEnds { Glibc.close(fd) }
    }

    /// Waits until every process that holds the pipes has closed them, or until `limit` has passed
    /// (a writer that escaped its step's supervisor must not hold the run forever).
    func waitUntilClosed(limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitUntilClosed() }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Waits until every process that holds the pipes has closed them, or the waiting task is cancelled.
    func waitUntilClosed() async {
        let ticket = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = state.withLock { state in
                    if state.finished || Task.isCancelled { return true }
                    state.finishWaiters[ticket] = continuation
                    return false
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.finishWaiters.removeValue(forKey: ticket) }
            waiter?.resume()
        }
    }

    /// Waits (up to `limit`) until what is already in the pipes has been read, for steps whose
    /// background processes keep the pipes open.
    func waitUntilDrained(limit: Duration = .milliseconds(300)) async {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            let pending = state.withLock { state in
                state.streams.contains { stream in
                    var available: Int32 = 0
                    return stream.open && ioctl(stream.readEnd, UInt(FIONREAD), &available) == 0 && available > 0
                }
            }
            if !pending { return }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// What has been captured so far.
    func snapshot() -> (stdout: CapturedOutput, stderr: CapturedOutput) {
        state.withLock { state in
            let outputs = state.streams.map { stream in
                CapturedOutput(
                    tail: String(decoding: stream.tail, as: UTF8.self),
                    totalBytes: stream.total,
                    logFile: "logs/\(stream.logName)",
                    truncated: stream.total > stream.written
                )
            }
            return (outputs[0], outputs[1])
        }
    }

    /// Up to `maximum` bytes of each stream's beginning, read back from the log files (for log readiness checks).
    func text(maximum: Int) -> String {
        let names = state.withLock { $0.streams.map(\.logName) }
        return names.map { name in
            guard let handle = FileHandle(forReadingAtPath: logDirectory.appendingPathComponent(name).path) else {
                return ""
            }
            defer { try? handle.close() }
            return String(decoding: (try? handle.read(upToCount: maximum)) ?? Data(), as: UTF8.self)
        }.joined(separator: "\n")
    }

    private func pump() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            var polls = state.withLock { state in
                state.streams.map { pollfd(fd: $0.open ? $0.readEnd : -1, events: Int16(POLLIN), revents: 0) }
            }
            if polls.allSatisfy({ $0.fd < 0 }) { break }
            let ready = poll(&polls, nfds_t(polls.count), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for (index, entry) in polls.enumerated() where entry.fd >= 0 && entry.revents != 0 {
                state.withLock { state in
                    while true {
                        let count = buffer.withUnsafeMutableBytes { read(entry.fd, $0.baseAddress, $0.count) }
                        if count > 0 {
                            append(buffer[0..<count], to: &state.streams[index])
                            if count < buffer.count { break }
                            continue
                        }
                        if count == 0 || (errno != EAGAIN && errno != EINTR) {
                            state.streams[index].open = false
                        }
                        break
                    }
                }
            }
        }
        let waiters = state.withLock { state in
            state.finished = true
            for stream in state.streams {
                Glibc.close(stream.readEnd)
                if stream.log >= 0 { Glibc.close(stream.log) }
            }
            defer { state.finishWaiters = [:] }
            return Array(state.finishWaiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    private func append(_ bytes: ArraySlice<UInt8>, to stream: inout Stream) {
        stream.total += bytes.count
        if stream.log >= 0, stream.written < limit {
            let room = min(bytes.count, limit - stream.written)
            // A log that cannot be written (a full disk) loses the rest of this chunk, not the step.
            _ = bytes.prefix(room).withUnsafeBytes { DescriptorWriting.writeAll(stream.log, $0) }
            stream.written += room
        }
        if bytes.count >= tailBytes {
            stream.tail = Array(bytes.suffix(tailBytes))
        } else {
            stream.tail.append(contentsOf: bytes)
            if stream.tail.count > tailBytes { stream.tail.removeFirst(stream.tail.count - tailBytes) }
        }
    }
}
