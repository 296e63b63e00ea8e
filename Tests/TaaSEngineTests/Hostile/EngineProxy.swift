import Foundation

/// A unix-socket proxy in front of the Docker engine that a test can cut, to play an engine that
/// stops in the middle of a run without stopping the shared engine. Every connection accepted at
/// ``path`` is relayed to the real socket until ``cut()``, which closes them all and stops listening.
final class EngineProxy: @unchecked Sendable {
    let path: String
    private let upstream: String
    private let listener: Int32
    private let lock = NSLock()
    private var descriptors: [Int32] = []
    private var isCut = false

    init(upstream: String = "/var/run/docker.sock") throws {
        self.upstream = upstream
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent(
                "taas-proxy-\(UUID().uuidString.prefix(8)).sock"
            ).path
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard Self.withAddress(path, { bind(listener, $0, $1) }) == 0, listen(listener, 16) == 0 else {
            throw POSIXError(.EADDRINUSE)
        }
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops relaying: closes every connection and the listener, as a stopped engine would.
    func cut() {
        lock.withLock {
            isCut = true
            for fd in descriptors { shutdown(fd, Int32(SHUT_RDWR)) }
            shutdown(listener, Int32(SHUT_RDWR))
        }
        unlink(path)
    }

    deinit {
        cut()
        close(listener)
    }

    private static func withAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            path.utf8CString.withUnsafeBytes {
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(buffer.count - 1)))
            }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            let server = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            let cut = lock.withLock { () -> Bool in
                descriptors += [client, server]
                return isCut
            }
            if cut || Self.withAddress(upstream, { connect(server, $0, $1) }) != 0 {
                close(client)
                close(server)
                return
            }
            for (from, to) in [(client, server), (server, client)] {
                Thread { Self.relay(from: from, to: to) }.start()
            }
        }
    }

    private static func relay(from: Int32, to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(from, &buffer, buffer.count)
            if count <= 0 { break }
            var sent = 0
            while sent < count {
                let n = buffer[sent..<count].withUnsafeBytes { write(to, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                sent += n
            }
            if sent < count { break }
        }
        shutdown(to, Int32(SHUT_WR))
    }
}
