import Foundation
import TaaSCore
import TaaSDocker
import TaaSEngine
import TaaSSandboxes
import Testing

/// Faults of the platform itself: a container killed from outside, no bubblewrap, an output folder
/// that is full or read-only, a damaged cache, two runs sharing the caches, a signal at each phase.
/// Each must end as an `error` report with a clear message (or, when the report cannot be written, a
/// message that says so and exit code 2), never a crash, a hang or something left behind.
@Suite(.serialized) struct PlatformFaultTests {
    /// Remembers the run id and tells when a phase has started.
    final class PhaseWatcher: RunObserver, @unchecked Sendable {
        private let lock = NSLock()
        private var runID: String?
        private var phases: Set<RunPhase> = []

        func handle(_ event: RunEvent) {
            lock.lock()
            defer { lock.unlock() }
            switch event {
            case .runStarted(let id, _, _): runID = id
            case .phaseStarted(let phase): phases.insert(phase)
            default: break
            }
        }

        /// The run id once the phase has started (polls: the harness runs in this process).
        func waitFor(_ phase: RunPhase) async -> String? {
            for _ in 0..<600 {
                let seen = lock.withLock { phases.contains(phase) ? runID : nil }
                if let seen { return seen }
                try? await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }
    }

    @Test(.enabled(if: DockerAvailability.engineAnswers, "no Docker engine answers"))
    func aContainerKilledFromOutsideEndsTheRunWithAnError() async throws {
        let long = HostileScope.Probe(id: "long", script: "sleep 300")
        let fixture = try RunFixture(files: HostileScope.files([long]))
        defer { fixture.remove() }
        let watcher = PhaseWatcher()
        let sandbox = HostileSandbox.docker
        async let report = fixture.run(
            HostileScope.scope("fault-killed", [long], in: sandbox, teardown: ["echo teardown"]),
            sandbox: sandbox.sandbox,
            observer: watcher
        )
        let runID = try #require(await watcher.waitFor(.scenarios))
        try await Task.sleep(for: .milliseconds(300))
        let client = DockerClient()
        let containers = try await client.listContainers(all: true, label: "\(DockerSandbox.runLabel)=\(runID)")
        #expect(containers.count == 1)
        for container in containers { try await client.kill(container.id) }
        await client.shutdown()

        let finished = try await report
        #expect(finished.verdict == .error)
        let longResult = HostileChecks.scenario("long", in: finished)
        #expect(
            longResult?.verdict == .error || longResult?.verdict == .fail,
            "\(HostileChecks.output("long", in: finished))"
        )
        let messages =
            ([longResult?.message ?? "", longResult?.attempts.last?.message ?? ""] + finished.errors.map(\.message))
            .joined(separator: " | ")
        #expect(!messages.isEmpty)
        _ = try HostileChecks.writtenReport(fixture)
        try await HostileChecks.nothingRemains(finished, markers: [], sandbox: sandbox)
    }

    @Test(.enabled(if: DockerAvailability.engineAnswers, "no Docker engine answers"))
    func theEngineStoppingMidRunEndsTheRunWithAnErrorThatSaysWhatRemains() async throws {
        let long = HostileScope.Probe(id: "long", script: "sleep 300")
        let fixture = try RunFixture(files: HostileScope.files([long]))
        defer { fixture.remove() }
        let proxy = try EngineProxy()
        let watcher = PhaseWatcher()
        let sandbox = DockerSandbox(endpoint: .unixSocket(proxy.path))
        async let report = fixture.run(
            HostileScope.scope("fault-engine", [long], in: .docker, teardown: ["echo teardown"]),
            sandbox: sandbox,
            observer: watcher
        )
        let runID = try #require(await watcher.waitFor(.scenarios))
        try await Task.sleep(for: .milliseconds(300))
        // The engine "stops": its socket goes away, and its containers die with it.
        proxy.cut()
        let client = DockerClient()
        let containers = try await client.listContainers(all: true, label: "\(DockerSandbox.runLabel)=\(runID)")
        for container in containers { try await client.kill(container.id) }

        let finished = try await report
        for container in containers { try? await client.remove(container.id, force: true) }
        await client.shutdown()
        #expect(finished.verdict == .error)
        let messages = finished.errors.map(\.message).joined(separator: " | ")
        #expect(messages.contains("could not be removed") && messages.contains("taas gc"), "\(messages)")
        _ = try HostileChecks.writtenReport(fixture)
        #expect(!TestEnvironment.leftoverFolders(runID: finished.runID))
        withExtendedLifetime(proxy) {}
    }

    @Test func withoutBubblewrapTheReportSaysHowToInstallIt() throws {
        let fixture = try RunFixture(files: [
            "scope.json": #"{"scope_id": "nobwrap", "scenarios": [{"id": "S", "command": "true"}]}"#
        ])
        defer { fixture.remove() }
        // A PATH with the tools taas needs around it but no bwrap.
        let tools = fixture.root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: tools, withIntermediateDirectories: true)
        for tool in ["setsid", "setpriv", "cc", "gcc", "python3", "chmod"] {
            if let found = HostTools.find([tool]) {
                try FileManager.default.createSymbolicLink(
                    atPath: tools.appendingPathComponent(tool).path,
                    withDestinationPath: found
                )
            }
        }
        let result = try CommandLineTests.taas(
            [
                "run", fixture.workspace.appendingPathComponent("scope.json").path, "--sandbox", "jail", "--out",
                fixture.output.path,
            ],
            environment: ["PATH": tools.path]
        )
        #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
        let report = try HostileChecks.writtenReport(fixture)
        #expect(report.verdict == .error)
        #expect(
            report.errors.contains { $0.message.contains("bubblewrap (bwrap) is not installed") },
            "\(report.errors)"
        )
    }

    /// Mounts a tmpfs with `options` at a new folder; `nil` when mounting is not allowed here.
    static func mountTmpfs(_ options: String, under root: URL) -> URL? {
        guard getuid() == 0, let mount = HostTools.find(["mount"]) else { return nil }
        let point = root.appendingPathComponent("mnt-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: point, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: mount)
        process.arguments = ["-t", "tmpfs", "-o", options, "tmpfs", point.path]
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? point : nil
    }

    static func unmount(_ point: URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: HostTools.find(["umount"]) ?? "/bin/umount")
        process.arguments = [point.path]
        try? process.run()
        process.waitUntilExit()
    }

    @Test(.enabled(if: getuid() == 0, "mounting a read-only or full tmpfs needs root (CI runs as root)"))
    func aReadOnlyOrFullOutputFolderIsAnErrorNotACrash() throws {
        let fixture = try RunFixture(files: [
            "scope.json":
                #"{"scope_id": "outfault", "scenarios": [{"id": "S", "command": "head -c 1048576 /dev/zero"}]}"#
        ])
        defer { fixture.remove() }
        for options in ["ro,size=1m", "size=64k"] {
            let point = try #require(Self.mountTmpfs(options, under: fixture.root), "cannot mount a tmpfs")
            defer { Self.unmount(point) }
            let out = point.appendingPathComponent(options.hasPrefix("ro") ? "" : "out")
            let result = try CommandLineTests.taas(
                [
                    "run", fixture.workspace.appendingPathComponent("scope.json").path, "--sandbox", "jail", "--out",
                    out.path,
                ])
            #expect(result.status == 2, "\(options): \(result.status) \(result.stdout) \(result.stderr)")
            let text = result.stdout + result.stderr
            #expect(text.contains(point.path), "\(options): the message does not name the output folder: \(text)")
            #expect(!text.contains("Fatal error"), "\(options): \(text)")
        }
    }

    @Test func aTruncatedVirtualenvIsDetectedAndMadeAgain() async throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taas-battery-cache-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: cache) }
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let scope = try RunFixture.scope(
            #"{"scope_id": "venv-cache", "environment": {"type": "venv"}, "scenarios": [{"id": "S", "command": "python -c 'import sys; assert sys.prefix != sys.base_prefix'"}]}"#
        )
        func run() async -> TaaSReport {
            let options = RunOptions(
                workspace: fixture.workspace,
                outputDirectory: fixture.output,
                sandbox: VenvSandbox(),
                cacheDirectory: cache
            )
            return await Harness(options: options).execute(scope)
        }
        let first = await run()
        #expect(first.verdict == .pass, "\(first.errors) \(HostileChecks.output("S", in: first))")
        let venv = try #require(first.sandbox.settings["venv"]?.split(separator: " ").first.map(String.init))
        // Damage it as an interrupted copy or a full disk would: the configuration and the library are gone.
        try FileManager.default.removeItem(atPath: "\(venv)/pyvenv.cfg")
        try? FileManager.default.removeItem(atPath: "\(venv)/lib")
        let second = await run()
        #expect(second.verdict == .pass, "\(second.errors) \(HostileChecks.output("S", in: second))")
        #expect(second.sandbox.settings["venv_reused"] == "false", "the damaged virtualenv was used")
        #expect(FileManager.default.fileExists(atPath: "\(venv)/pyvenv.cfg"))
        let third = await run()
        #expect(third.sandbox.settings["venv_reused"] == "true")
    }

    @Test func twoRunsOfOneScopeShareFreshCachesSafely() async throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taas-battery-cache-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: cache) }
        let fixture = try RunFixture(files: [
            "scope.json":
                #"{"scope_id": "twice", "environment": {"type": "venv"}, "scenarios": [{"id": "S", "command": "python -c 'import sys; assert sys.prefix != sys.base_prefix'"}]}"#
        ])
        defer { fixture.remove() }
        let outputs = [fixture.root.appendingPathComponent("out-1"), fixture.root.appendingPathComponent("out-2")]
        let results = try await withThrowingTaskGroup(of: CommandLineTests.Result.self) { group in
            for out in outputs {
                group.addTask {
                    try CommandLineTests.taas([
                        "run", fixture.workspace.appendingPathComponent("scope.json").path, "--sandbox", "venv",
                        "--out", out.path,
                        "--cache-dir", cache.path,
                    ])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for result in results { #expect(result.status == 0, "\(result.stdout) \(result.stderr)") }
        let reports = try outputs.map {
            try TaaSReport.decode(from: Data(contentsOf: $0.appendingPathComponent("report.json")))
        }
        // One run made the virtualenv (and the agent); the other waited for it and reused it.
        #expect(Set(reports.compactMap { $0.sandbox.settings["venv_reused"] }) == ["true", "false"])
        #expect(Set(reports.compactMap { $0.sandbox.settings["venv"] }).count == 1)
    }
}
