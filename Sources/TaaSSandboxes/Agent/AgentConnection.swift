import Foundation
import Synchronization
import TaaSCore

/// The harness's side of the agent protocol: sends requests, passes the step's output pipes, and
/// routes the agent's answers to the tasks waiting for them.
public final class AgentConnection: Sendable {
    /// Answers the agent gives about one step.
    enum Event: Sendable {
        case exited(exitCode: Int32?, signal: Int32?, timedOut: Bool, stopped: Bool)
        case failed(String)
        case probed(ProbeResult)
        /// A FETCH ended: `ok`, `truncated` or `fail`, after `elapsedMilliseconds`.
        case fetched(status: String, elapsedMilliseconds: Int, detail: String)
        /// The answer to a COPY: `ok`, `missing`, `refused` or `too-large`, and why (or the size).
        case copied(status: String, detail: String)
    }

    private struct State {
        var waiters: [String: CheckedContinuation<Event, Never>] = [:]
        /// Answers that arrived before anyone waited for them.
        var early: [String: Event] = [:]
        var closed: String?
        var nextID = 0
        var ready = false
        var readyWaiter: CheckedContinuation<Bool, Never>?
    }

    private let socket: Int32
    private let state = Mutex(State())

    /// Takes ownership of a connected socket to an agent and starts reading answers.
    public init(socket: Int32) {
        self.socket = socket
        let thread = Thread { [self] in self.readLoop() }
        thread.name = "taas-agent-reader"
        thread.start()
    }

    /// A fresh id for a request.
    func makeID() -> String {
        state.withLock { state in
            state.nextID += 1
            return "s\(state.nextID)"
        }
    }

    /// Waits until the agent says READY, or it ends first (then `false`).
    public func waitUntilReady() async -> Bool {
        await withCheckedContinuation { continuation in
            let answer: Bool? = state.withLock { state in
                if state.ready { return true }
                if state.closed != nil { return false }
                state.readyWaiter = continuation
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Why the connection ended, if it has.
    public var closedReason: String? { state.withLock { $0.closed } }

    /// Sends a message, with file descriptors passed alongside it.
    func send(_ message: AgentMessage, passing descriptors: [Int32] = []) throws(SandboxError) {
        let bytes = message.encoded
        guard bytes.count < 200 * 1024 else {
            throw SandboxError(
                .broken,
                "a step's command and environment are too large (\(bytes.count) bytes; at most 200 KiB)"
            )
        }
        let sent: Int = bytes.withUnsafeBytes { payload in
            var iov = iovec(iov_base: UnsafeMutableRawPointer(mutating: payload.baseAddress), iov_len: payload.count)
            // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } followed by the fds.
            let headerSize = MemoryLayout<Int>.size + 2 * MemoryLayout<Int32>.size
            let dataSize = descriptors.count * MemoryLayout<Int32>.size
            let space = descriptors.isEmpty ? 0 : (headerSize + dataSize + 7) & ~7
            var control = [UInt8](repeating: 0, count: max(space, 1))
            return control.withUnsafeMutableBytes { controlBytes in
                var header = msghdr()
                header.msg_iov = withUnsafeMutablePointer(to: &iov) { $0 }
                header.msg_iovlen = 1
                if !descriptors.isEmpty {
                    controlBytes.storeBytes(of: headerSize + dataSize, toByteOffset: 0, as: Int.self)
                    controlBytes.storeBytes(of: SOL_SOCKET, toByteOffset: MemoryLayout<Int>.size, as: Int32.self)
                    controlBytes.storeBytes(
                        of: Int32(SCM_RIGHTS),
                        toByteOffset: MemoryLayout<Int>.size + 4,
                        as: Int32.self
                    )
                    for (index, fd) in descriptors.enumerated() {
                        controlBytes.storeBytes(of: fd, toByteOffset: headerSize + index * 4, as: Int32.self)
                    }
                    header.msg_control = controlBytes.baseAddress
                    header.msg_controllen = space
                }
                return withUnsafeMutablePointer(to: &iov) { iovPointer in
                    header.msg_iov = iovPointer
                    var result: Int
                    repeat { result = sendmsg(socket, &header, Int32(MSG_NOSIGNAL)) } while result < 0 && errno == EINTR
                    return result
                }
            }
        }
        if sent < 0 {
            let reason = closedReason ?? String(cString: strerror(errno))
            throw SandboxError(.broken, "the sandbox stopped answering: \(reason)")
        }
    }

    /// Waits for the agent's final answer about a request.
    func waitForAnswer(id: String) async -> Event {
        await withCheckedContinuation { continuation in
            let ready: Event? = state.withLock { state in
                if let event = state.early.removeValue(forKey: id) { return event }
                if let reason = state.closed { return .failed("the sandbox ended: \(reason)") }
                state.waiters[id] = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The final answer about a request if it has already arrived, without consuming it.
    func peekAnswer(id: String) -> Event? {
        state.withLock { state in
            if let event = state.early[id] { return event }
            if let reason = state.closed { return .failed("the sandbox ended: \(reason)") }
            return nil
        }
    }

    /// Closes the harness's end: the agent stops every step and exits.
    public func close() {
        shutdown(socket, Int32(SHUT_RDWR))
    }

    private func deliver(_ id: String, _ event: Event) {
        let waiter = state.withLock { state in
            if let waiter = state.waiters.removeValue(forKey: id) { return Optional(waiter) }
            state.early[id] = event
            return nil
        }
        waiter?.resume(returning: event)
    }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var reason = "the agent exited"
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                reason = "cannot read from the agent: \(String(cString: strerror(errno)))"
                break
            }
            if count == 0 { break }
            let message = AgentMessage(decoding: buffer[0..<count])
            let fields = message.fields
            switch message.kind {
            case "READY":
                let waiter = state.withLock { state in
                    state.ready = true
                    defer { state.readyWaiter = nil }
                    return state.readyWaiter
                }
                waiter?.resume(returning: true)
            case "EXIT" where fields.count >= 6:
                let code = Int32(fields[2]).flatMap { $0 >= 0 ? $0 : nil }
                let signal = Int32(fields[3]).flatMap { $0 > 0 ? $0 : nil }
                deliver(
                    message.id,
                    .exited(exitCode: code, signal: signal, timedOut: fields[4] == "1", stopped: fields[5] == "1")
                )
            case "PROBED" where fields.count >= 4:
                deliver(message.id, .probed(ProbeResult(ok: fields[2] == "ok", detail: fields[3])))
            case "FETCHED" where fields.count >= 4:
                deliver(
                    message.id,
                    .fetched(
                        status: fields[2],
                        elapsedMilliseconds: Int(fields[3]) ?? 0,
                        detail: fields.count > 4 ? fields[4] : ""
                    )
                )
            case "COPIED" where fields.count >= 3:
                deliver(message.id, .copied(status: fields[2], detail: fields.count > 3 ? fields[3] : ""))
            case "ERROR":
                deliver(message.id, .failed(fields.count > 2 ? fields[2] : "the agent reported an error"))
            default:
                break  // STARTED and anything unknown: nothing waits for them
            }
        }
        let (waiters, readyWaiter) = state.withLock { state in
            state.closed = reason
            defer {
                state.waiters = [:]
                state.readyWaiter = nil
            }
            return (state.waiters, state.readyWaiter)
        }
        readyWaiter?.resume(returning: false)
        for waiter in waiters.values { waiter.resume(returning: .failed("the sandbox ended: \(reason)")) }
    }

    deinit {
        Glibc.close(socket)
    }
}
