import Foundation
import Testing

@testable import TaaSDocker

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tests without an engine: what the client says when there is none.
@Suite("DockerClient without an engine")
struct DockerClientUnreachableTests {
    @Test func missingSocketSaysHowToFixIt() async throws {
        let path = "/tmp/nonexistent.sock"
        try #require(!FileManager.default.fileExists(atPath: path), "\(path) exists on this machine")
        let client = DockerClient(endpoint: .unixSocket(path))
        let started = ContinuousClock.now
        let error = await #expect(throws: DockerError.self) { try await client.negotiate() }
        #expect(error?.code == .unreachable)
        #expect(
            error?.message
                == "cannot reach the Docker engine at unix:///tmp/nonexistent.sock (no such file); "
                + "start one with `scripts/docker-engine start` or set DOCKER_HOST"
        )
        // Not a speed goal: a guard against waiting out retries or a connect timeout that never ends (44 s
        // seen on a machine loaded by parallel builds, so 90 s).
        #expect(ContinuousClock.now - started < .seconds(90), "an absent engine should fail at once, not wait")
        // Every other call negotiates first and fails the same way.
        let again = await #expect(throws: DockerError.self) { try await client.imageInspect("python:3.11-slim") }
        #expect(again?.code == .unreachable)
        await client.shutdown()
    }

    @Test func refusedConnectionIsReported() async throws {
        // A socket file that nobody listens on: connect(2) gives ECONNREFUSED.
        let path = "/tmp/taas-refused-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer {
            close(fd)
            unlink(path)
        }
        let bound = DockerTestSupport.withSocketAddress(path) { address, length in bind(fd, address, length) }
        try #require(bound == 0)

        let client = DockerClient(endpoint: .unixSocket(path))
        let error = await #expect(throws: DockerError.self) { try await client.version() }
        #expect(error?.code == .unreachable)
        #expect(error?.message.contains("unix://\(path) (connection refused)") == true, "\(String(describing: error))")
        await client.shutdown()
    }
}

/// Tests against the real engine; skipped when none answers.
@Suite(
    "DockerClient against the engine",
    .enabled(if: DockerTestSupport.engineSocketAccepts, DockerTestSupport.skipReason)
)
struct DockerClientTests {
    @Test func negotiateChoosesASupportedVersion() async throws {
        try await DockerTestSupport.withEngine { client in
            let text = try await client.negotiate()
            let version = try #require(DockerAPIVersion(text))
            #expect(version <= DockerAPIVersion(major: 1, minor: 43))
            #expect(version >= DockerAPIVersion(major: 1, minor: 12))
            #expect(try await client.negotiate() == text, "the version is cached")
        }
    }

    @Test func engineVersion() async throws {
        try await DockerTestSupport.withEngine { client in
            let version = try await client.version()
            #expect(!version.version.isEmpty)
            #expect(DockerAPIVersion(version.apiVersion) != nil)
            #expect(version.os == "linux")
            #expect(!version.arch.isEmpty)
            print("Docker engine \(version.version), API \(version.apiVersion), \(version.os)/\(version.arch)")
        }
    }

    @Test func missingImageIsNil() async throws {
        try await DockerTestSupport.withEngine { client in
            let image = try await client.imageInspect("taas-no-such-image-\(UUID().uuidString.lowercased())")
            #expect(image == nil)
        }
    }

    @Test func missingContainerAnswers() async throws {
        try await DockerTestSupport.withEngine { client in
            let id = "taas-no-such-container-\(UUID().uuidString.lowercased())"
            #expect(try await client.inspectContainer(id) == nil)
            #expect(try await client.getArchive(id, path: "/etc/hostname") == nil)
            try await client.remove(id)
            let killError = await #expect(throws: DockerError.self) { try await client.kill(id) }
            #expect(killError?.code == .notFound)
            let startError = await #expect(throws: DockerError.self) { try await client.start(id) }
            #expect(startError?.code == .notFound)
            #expect(try await client.listContainers(all: true, label: "taas.test=\(id)").isEmpty)
        }
    }

    @Test func creatingFromAMissingImageIsNotFound() async throws {
        try await DockerTestSupport.withEngine { client in
            let spec = ContainerSpec(
                image: "taas-no-such-image-\(UUID().uuidString.lowercased()):latest",
                hostConfig: .init(networkMode: "none")
            )
            let error = await #expect(throws: DockerError.self) { try await client.createContainer(spec: spec) }
            #expect(error?.code == .notFound)
            #expect(error?.statusCode == 404)
            #expect(error?.message.contains("No such image") == true, "\(String(describing: error))")
        }
    }

    /// create → putArchive → start → getArchive → inspect → kill → wait → remove, with a hardened,
    /// network-less container. Needs a local image that has `sleep`.
    @Test func containerLifecycle() async throws {
        try await DockerTestSupport.withEngine { client in
            guard let image = try await DockerTestSupport.findTestImage(client) else {
                print(
                    "skipped containerLifecycle: the engine has none of taas-test-base, python:3.11-slim "
                        + "(or TAAS_TEST_IMAGE); build the base image first"
                )
                return
            }
            let run = UUID().uuidString.lowercased()
            let name = "taas-test-\(run.prefix(12))"
            let spec = ContainerSpec(
                image: image,
                cmd: ["sleep", "30"],
                env: ["TAAS_TEST=1"],
                workingDir: "/workspace",
                labels: ["taas.test": run],
                volumes: ["/workspace"],
                hostConfig: .init(
                    networkMode: "none",
                    capDrop: ["ALL"],
                    securityOpt: ["no-new-privileges"],
                    pidsLimit: 64,
                    memory: 256 << 20,
                    memorySwap: 256 << 20,
                    nanoCpus: 1_000_000_000,
                    readonlyRootfs: true,
                    tmpfs: ["/tmp": "rw,size=16m"],
                    init: true
                )
            )
            let id = try await client.createContainer(name: name, spec: spec)
            do {
                #expect(!id.isEmpty)
                let taken = await #expect(throws: DockerError.self) {
                    try await client.createContainer(name: name, spec: spec)
                }
                #expect(taken?.code == .conflict)

                // Copy in before start: into the anonymous volume, since the root filesystem is read-only.
                let tar = try DockerTestSupport.makeTar(["hello.txt": "hello from the host\n"])
                try await client.putArchive(id, path: "/workspace", tar: tar)
                let missingFolder = await #expect(throws: DockerError.self) {
                    try await client.putArchive(id, path: "/no/such/folder", tar: tar)
                }
                #expect(missingFolder?.code == .notFound)

                try await client.start(id)
                try await client.start(id)  // already started: not an error
                let running = try #require(try await client.inspectContainer(id))
                #expect(running.running)
                #expect(running.status == "running")
                #expect(running.pid > 0)

                let archive = try #require(try await client.getArchive(id, path: "/workspace/hello.txt"))
                let file = try #require(try TarArchive.firstFile(in: archive))
                #expect(file.name == "hello.txt")
                #expect(String(decoding: file.contents, as: UTF8.self) == "hello from the host\n")
                #expect(try await client.getArchive(id, path: "/workspace/absent.txt") == nil)

                let listed = try await client.listContainers(all: true, label: "taas.test=\(run)")
                #expect(listed.map(\.id) == [id])
                #expect(listed.first?.names == [name])
                #expect(listed.first?.labels["taas.test"] == run)
                #expect(listed.first?.state == "running")

                try await client.kill(id)
                #expect(try await client.wait(id) == 137)
                let stopped = try #require(try await client.inspectContainer(id))
                #expect(!stopped.running)
                #expect(stopped.exitCode == 137)
                #expect(!stopped.oomKilled)
                let notRunning = await #expect(throws: DockerError.self) { try await client.kill(id) }
                #expect(notRunning?.code == .conflict)
            } catch {
                try? await client.remove(id)
                throw error
            }
            try await client.remove(id)
            #expect(try await client.inspectContainer(id) == nil)
            #expect(try await client.listContainers(all: true, label: "taas.test=\(run)").isEmpty)
            try await client.remove(id)  // already gone: not an error
        }
    }

    /// Imports a root filesystem tarball given by TAAS_TEST_IMPORT_TAR (this suite builds no image itself),
    /// checks the result, and removes it.
    @Test func importImageFromTarball() async throws {
        guard let path = ProcessInfo.processInfo.environment["TAAS_TEST_IMPORT_TAR"], !path.isEmpty else {
            print("skipped importImageFromTarball: set TAAS_TEST_IMPORT_TAR to a root filesystem tarball to run it")
            return
        }
        try await DockerTestSupport.withEngine { client in
            let repository = "taas-dockerclient-import-test"
            let tag = String(UUID().uuidString.lowercased().prefix(12))
            try await client.importImage(
                tarFile: URL(fileURLWithPath: path),
                repository: repository,
                tag: tag,
                changes: ["ENV PATH=/usr/bin:/bin", "ENV LANG=C.UTF-8", #"CMD ["sleep", "1"]"#, "LABEL taas.test=1"]
            )
            let info = try #require(try await client.imageInspect("\(repository):\(tag)"))
            #expect(info.repoTags == ["\(repository):\(tag)"])
            #expect(info.env.contains("PATH=/usr/bin:/bin"))
            #expect(info.labels["taas.test"] == "1")
            #expect(info.cmd == ["sleep", "1"])
            try await client.removeImage("\(repository):\(tag)")
            #expect(try await client.imageInspect("\(repository):\(tag)") == nil)

            let notATar = FileManager.default.temporaryDirectory.appendingPathComponent("taas-not-a-tar-\(tag)")
            try Data("not a tarball".utf8).write(to: notATar)
            defer { try? FileManager.default.removeItem(at: notATar) }
            let rejected = await #expect(throws: DockerError.self) {
                try await client.importImage(tarFile: notATar, repository: repository, tag: tag, changes: [])
            }
            print("importing a non-tarball: \(String(describing: rejected))")
            try? await client.removeImage("\(repository):\(tag)")
        }
    }

    @Test func importOfAMissingFileIsNotFound() async throws {
        try await DockerTestSupport.withEngine { client in
            let error = await #expect(throws: DockerError.self) {
                try await client.importImage(
                    tarFile: URL(fileURLWithPath: "/tmp/taas-no-such-rootfs.tar"),
                    repository: "x",
                    tag: "y"
                )
            }
            #expect(error?.code == .notFound)
        }
    }
}
