import Foundation
import TaaSDocker
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Helpers for tests that talk to a real Docker engine.
enum DockerTestSupport {
    /// The engine the tests use: `DOCKER_HOST` if it is a unix socket, else the default socket.
    static let endpoint: DockerEndpoint = (try? DockerEndpoint.fromEnvironment()) ?? .default

    /// Whether something accepts connections on the engine's socket (a cheap, synchronous check).
    static let engineSocketAccepts = socketAccepts(endpoint.socketPath)

    /// Why engine tests are skipped when ``engineSocketAccepts`` is false.
    static let skipReason: Comment = "no Docker engine at \(endpoint); start one with `scripts/docker-engine start`"

    /// Whether a connect(2) to a unix socket path succeeds.
    static func socketAccepts(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return withSocketAddress(path) { address, length in connect(fd, address, length) == 0 } ?? false
    }

    /// Calls `body` with a `sockaddr_un` for `path`, or returns nil when the path is too long.
    static func withSocketAddress<Result>(
        _ path: String,
        _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
    ) -> Result? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in raw.copyBytes(from: bytes) }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }

    /// Runs `body` with a client for the test engine, or returns nil (after printing why) when the engine
    /// does not answer. The client is shut down afterwards.
    static func withEngine<Result>(
        _ test: String = #function,
        _ body: (DockerClient) async throws -> Result
    ) async throws -> Result? {
        let client = DockerClient(endpoint: endpoint)
        do {
            guard (try? await client.negotiate()) != nil else {
                print("skipped \(test): the Docker engine at \(endpoint) does not answer")
                await client.shutdown()
                return nil
            }
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// A tar archive made by /usr/bin/tar of the given files (relative path → contents).
    static func makeTar(_ files: [String: String], arguments: [String] = []) throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taas-tar-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (path, contents) in files {
            let file = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(contents.utf8).write(to: file)
        }
        let archive = folder.appendingPathComponent("archive.tar")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        process.arguments = arguments + ["-C", folder.path, "-cf", archive.path] + files.keys.sorted()
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "tar failed"])
        }
        return try Data(contentsOf: archive)
    }

    /// The first of the usual test images that the engine has, or nil.
    static func findTestImage(_ client: DockerClient) async throws -> String? {
        var candidates = ["taas-test-base", "python:3.11-slim"]
        if let chosen = ProcessInfo.processInfo.environment["TAAS_TEST_IMAGE"], !chosen.isEmpty {
            candidates.insert(chosen, at: 0)
        }
        for name in candidates where try await client.imageInspect(name) != nil {
            return name
        }
        return nil
    }
}
