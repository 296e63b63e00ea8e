import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Stopping the server while clients hold connections it has accepted but not read from (a browser
/// opens spare ones): the graceful shutdown that SIGTERM starts closes them and ends. Cancelling
/// the server instead made NIO trap and took the whole process down (CI, 2 Dec).
@Suite struct GracefulStopTests {
    @Test func aServerWithIdleConnectionsClosesThemAndStops() async throws {
        // LiveFabric.with returns once the server has stopped.
        let sockets = try await LiveFabric.with(workers: 0) { live in
            try (0..<50).map { _ in try Self.connect(to: live.port) }
        }
        defer { for socket in sockets { close(socket) } }
        // The server closed each spare connection (end of stream or reset; a read of one left open
        // times out). Whether the port still answers says nothing: another test's server may have it.
        for socket in sockets {
            var limit = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var byte: UInt8 = 0
            let read = recv(socket, &byte, 1, 0)
            #expect(
                read == 0 || (read == -1 && errno == ECONNRESET),
                "the server left a connection open: errno \(errno)"
            )
        }
    }

    /// A TCP connection to 127.0.0.1:`port`, nothing sent.
    static func connect(to port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else {
            close(socket)
            throw FabricTestError("connect to port \(port): errno \(errno)")
        }
        return socket
    }
}
