import Foundation
import TaaSCore
import TaaSDocker
import TaaSEngine
import TaaSIntegrity
import Testing

/// The Docker sandbox on the real engine (started by scripts/test through scripts/docker-engine).
/// Skipped, with the reason printed, when no engine answers.
@Suite(
    .serialized,
    .enabled(if: DockerAvailability.engineAnswers, "no Docker engine answers (scripts/docker-engine start)")
)
struct DockerSandboxTests {
    static let limits = ResourceLimits(memoryMB: 256, pids: 64, cpus: 1)

    /// The containers of one run that still exist (other runs may be going on at the same time).
    static func containers(of report: TaaSReport) async throws -> [ContainerSummary] {
        let client = DockerClient()
        let containers = try await client.listContainers(all: true, label: "\(DockerSandbox.runLabel)=\(report.runID)")
        await client.shutdown()
        return containers
    }

    @Test func pilotPassesInAContainerAndNoContainerRemains() async throws {
        let (fixture, scope) = try ExampleTests.pilotCopy()
        defer { fixture.remove() }
        let report = try await fixture.run(scope, sandbox: DockerSandbox(), limits: Self.limits)
        #expect(report.verdict == .pass, "\(report.errors) \(report.scenarios.map { ($0.id, $0.verdict, $0.message) })")
        #expect(report.sandbox.kind == "docker")
        for setting in [
            "network", "capabilities", "no_new_privileges", "pids_limit", "memory_limit", "cpu_limit", "user",
            "root_filesystem",
        ] {
            #expect(report.sandbox.settings[setting] != nil, "the report does not show \(setting)")
        }
        #expect(report.sandbox.settings["pids_limit"] == "64")
        #expect(try await Self.containers(of: report).isEmpty)
    }

    @Test func theVerdictCacheKeysADockerRunByItsImageAndLimits() async throws {
        let fixture = try RunFixture(files: ["check.sh": "test \"$(cat value.txt)\" = 1\n", "value.txt": "1\n"])
        defer { fixture.remove() }
        let cache = VerdictCache(root: fixture.root.appendingPathComponent("verdicts"))
        let scope =
            #"{"scope_id": "cached-docker", "environment": {"type": "docker"}, "scenarios": [{"id": "S", "command": "sh check.sh"}]}"#
        let first = try await fixture.run(scope, sandbox: DockerSandbox(), limits: Self.limits) {
            $0.verdictCache = cache
        }
        #expect(first.verdict == .pass && first.cached == nil)
        let entry = try #require(cache.entries().first)
        #expect(entry.parts["image_id"]?.hasPrefix("sha256:") == true)
        #expect(entry.parts["limits"] == "memory=256MiB pids=64 cpus=1.0")
        let second = try await fixture.run(scope, sandbox: DockerSandbox(), limits: Self.limits) {
            $0.verdictCache = cache
        }
        #expect(second.cached == true && second.cachedFrom == first.runID)
        // Other limits are another environment: not served from the cache.
        let other = ResourceLimits(memoryMB: 512, pids: 64, cpus: 1)
        let third = try await fixture.run(scope, sandbox: DockerSandbox(), limits: other) { $0.verdictCache = cache }
        #expect(third.cached == nil && third.verdict == .pass)
    }

    @Test func failingCaseFailsAndIsolationHolds() async throws {
        let fixture = try RunFixture(files: [
            "tests/test_x.py": "def test_ok():\n    assert True\n\ndef test_no():\n    assert 2 + 2 == 5\n"
        ])
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "docker", "environment": {"type": "docker", "image": "python:3.11-slim", "dependencies": ["pytest"]},
             "scenarios": [
               {"id": "UNIT", "execution": {"runner": "pytest", "target": "tests/test_x.py"}},
               {"id": "net", "command": "python3 -c 'import socket; assert [n for _, n in socket.if_nameindex()] == [\\"lo\\"]' && test $(wc -l < /proc/net/route) -le 1"},
               {"id": "readonly", "command": "! touch /etc/taas-probe && ! touch /usr/taas-probe && touch ok && touch /tmp/ok && test \\"$PWD\\" = \\"$TAAS_WORKSPACE\\""},
               {"id": "nobody", "command": "test $(id -u) = 65534 && grep -q '^CapEff:\\\\s*0000000000000000' /proc/self/status && grep -q '^NoNewPrivs:\\\\s*1' /proc/self/status"}]}
            """,
            sandbox: DockerSandbox(),
            limits: Self.limits
        )
        let byID = Dictionary(uniqueKeysWithValues: report.scenarios.map { ($0.id, $0) })
        #expect(byID["UNIT"]?.verdict == .fail)
        #expect(byID["UNIT"]?.cases.contains { $0.name == "test_no" && $0.verdict == .fail } == true)
        #expect(byID["net"]?.verdict == .pass, "\(byID["net"]?.attempts.first?.output.stderrTail ?? "")")
        #expect(byID["readonly"]?.verdict == .pass, "\(byID["readonly"]?.attempts.first?.output.stderrTail ?? "")")
        #expect(byID["nobody"]?.verdict == .pass)
        #expect(try await Self.containers(of: report).isEmpty)
    }

    @Test func dependenciesAreInstalledOnceIntoAnEnvironmentImageThatWarmRunsStartFrom() async throws {
        // A dependency list of its own, so that no other test has made (or uses) this environment image.
        let client = DockerClient()
        for image in try await client.listImages(label: "maestro-taas.environment")
        where image.labels["maestro-taas.environment.dependencies"] == "iniconfig, pytest" {
            try await client.removeImage(image.id, force: true)
        }
        await client.shutdown()
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let scope = """
            {"scope_id": "env-image", "environment": {"type": "docker", "dependencies": ["pytest", "iniconfig"]},
             "scenarios": [{"id": "venv", "command": "test \\"$VIRTUAL_ENV\\" = /opt/taas-venv && python3 -c 'import sys, iniconfig; assert sys.prefix == \\"/opt/taas-venv\\", sys.prefix' && ! touch /opt/taas-venv/probe"}]}
            """
        let cold = try await fixture.run(scope, sandbox: DockerSandbox(), limits: Self.limits)
        #expect(
            cold.verdict == .pass,
            "\(cold.errors) \(cold.scenarios.map { ($0.message, $0.attempts.first?.output) })"
        )
        #expect(cold.sandbox.settings["environment_image_reused"] == "false")
        #expect(cold.sandbox.settings["environment_image"]?.hasPrefix("taas-env:") == true)
        #expect(cold.sandbox.settings["wheelhouse_reused"] != nil)
        let warm = try await fixture.run(scope, sandbox: DockerSandbox(), limits: Self.limits)
        #expect(warm.verdict == .pass, "\(warm.errors)")
        #expect(warm.sandbox.settings["environment_image_reused"] == "true")
        #expect(warm.sandbox.settings["environment_image"] == cold.sandbox.settings["environment_image"])
        #expect(warm.sandbox.settings["wheelhouse_reused"] == nil, "a warm run needs no wheelhouse")
        // The image says what it holds; the container that installed the dependencies is gone.
        let listed = DockerClient()
        let images = try await listed.listImages(label: "maestro-taas.environment")
        await listed.shutdown()
        let made = try #require(
            images.first { $0.labels["maestro-taas.environment.dependencies"] == "iniconfig, pytest" }
        )
        #expect(made.labels["maestro-taas.environment.base-image"] == "python:3.11-slim")
        #expect(try await Self.containers(of: cold).isEmpty)
    }

    @Test func forkBombIsStoppedByThePidsLimitAndTheRunStillReports() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "bomb", "environment": {"type": "docker"},
             "scenarios": [{"id": "bomb", "timeout_seconds": 5, "command": "b() { b | b & }; b"},
                           {"id": "after", "command": "echo still-here"}]}
            """,
            sandbox: DockerSandbox(),
            limits: Self.limits
        )
        #expect(report.scenarios.count == 2)
        #expect(report.scenarios[1].verdict == .pass)
        #expect(try await Self.containers(of: report).isEmpty)
    }
}

extension DockerSandboxTests {
    @Test func sigintMidRunRemovesTheContainerAndWritesTheReport() async throws {
        let fixture = try RunFixture(files: [
            "scope.json": """
            {"scope_id": "sig", "environment": {"type": "docker"}, "lifecycle": {"teardown": ["echo teardown-ran"]},
             "scenarios": [{"id": "long", "command": "sleep 300"}]}
            """
        ])
        defer { fixture.remove() }
        let report = try CommandLineTests.interruptedRun(fixture, signal: SIGINT, extraArguments: ["--offline"])
        #expect(report.verdict == .error)
        #expect(report.teardown.first?.output.stdoutTail == "teardown-ran\n")
        #expect(try await Self.containers(of: report).isEmpty)
    }

    @Test func hostLoopbackListenerIsUnreachableFromTheContainer() async throws {
        let listener = HostListener()
        let port = listener.port
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "net", "environment": {"type": "docker"}, "scenarios": [
              {"id": "host-listener", "command": "python3 -c 'import socket; socket.create_connection((\\"127.0.0.1\\", \(port)), 1)'"}]}
            """,
            sandbox: DockerSandbox(),
            limits: Self.limits
        )
        #expect(report.scenarios[0].verdict == .fail, "the container reached a listener on the host's loopback")
        withExtendedLifetime(listener) {}
    }
}

enum DockerAvailability {
    /// Whether something accepts connections on the engine's socket (a cheap, synchronous check).
    static var engineAnswers: Bool {
        let path =
            (ProcessInfo.processInfo.environment["DOCKER_HOST"].flatMap {
                $0.hasPrefix("unix://") ? String($0.dropFirst(7)) : nil
            })
            ?? "/var/run/docker.sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            path.utf8CString.withUnsafeBytes {
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(buffer.count - 1)))
            }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        } == 0
    }
}

extension DockerSandboxTests {
    @Test func gcRemovesContainersOfRunsThatAreGone() async throws {
        let client = DockerClient()
        let spec = ContainerSpec(
            image: DockerSandbox.defaultImage,
            cmd: ["true"],
            labels: [
                DockerSandbox.runLabel: "gc-test-\(UUID().uuidString.prefix(8))", DockerSandbox.ownerLabel: "999999",
            ],
            hostConfig: .init(networkMode: "none")
        )
        let gone = try await client.createContainer(spec: spec)
        let result = try CommandLineTests.taas(["gc"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("removed \(gone.prefix(12))"))
        #expect(try await client.inspectContainer(gone) == nil)
        try? await client.remove(gone, force: true)
        await client.shutdown()
    }

    /// A run in a program that embeds the engine (this test process is not named taas) keeps its
    /// container through `taas gc`; the same pid with another start time is a reused pid, and goes.
    @Test func gcKeepsTheContainersOfAnyLiveOwnerAndTellsAReusedPid() async throws {
        let client = DockerClient()
        func container(_ labels: [String: String]) async throws -> String {
            let run = [DockerSandbox.runLabel: "gc-test-\(UUID().uuidString.prefix(8))"]
            return try await client.createContainer(
                spec: ContainerSpec(
                    image: DockerSandbox.defaultImage,
                    cmd: ["true"],
                    labels: labels.merging(run) { _, new in new },
                    hostConfig: .init(networkMode: "none")
                )
            )
        }
        let live = try await container(ContainerOwner.labels)
        let reused = try await container([
            ContainerOwner.pidLabel: String(getpid()), ContainerOwner.startLabel: "1",
        ])
        let result = try CommandLineTests.taas(["gc"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(try await client.inspectContainer(live) != nil, "\(result.stdout)")
        #expect(try await client.inspectContainer(reused) == nil, "\(result.stdout)")
        try? await client.remove(live, force: true)
        try? await client.remove(reused, force: true)
        await client.shutdown()
    }

    @Test func environmentImagesAreListedAndGcRemovesThoseOfABaseImageThatIsGone() async throws {
        let client = DockerClient()
        let tag = "gc-test-\(UUID().uuidString.prefix(8).lowercased())"
        let container = try await client.createContainer(
            spec: ContainerSpec(
                image: DockerSandbox.defaultImage,
                cmd: ["true"],
                hostConfig: .init(networkMode: "none")
            )
        )
        // An environment image made from a base image that the engine no longer has.
        let staleID = try await client.commit(
            container,
            repository: "taas-env",
            tag: tag,
            changes: [
                "LABEL maestro-taas.environment=\"\(tag)\"",
                "LABEL maestro-taas.environment.base-image=\"python:3.11-slim\"",
                "LABEL maestro-taas.environment.base-image-id=\"sha256:gone\"",
                "LABEL maestro-taas.environment.dependencies=\"probe\"",
            ]
        )
        try await client.remove(container, force: true)
        let listed = try CommandLineTests.taas(["cache", "ls"])
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("taas-env:\(tag)  "), "\(listed.stdout)")
        #expect(listed.stdout.contains("python:3.11-slim + probe"))
        let result = try CommandLineTests.taas(["gc"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains("removed taas-env:\(tag) (its base image python:3.11-slim changed)"),
            "\(result.stdout)"
        )
        #expect(try await client.imageInspect(staleID) == nil)
        // Environment images of the base image as it is now are kept.
        for image in try await EnvironmentImageRecord.list(client: client) where image.baseImage == "python:3.11-slim" {
            #expect(!result.stdout.contains(image.reference), "gc removed \(image.reference), which is current")
        }
        try? await client.removeImage(staleID, force: true)
        await client.shutdown()
    }
}
