import Foundation
import TaaSCore
import TaaSSandboxes

/// The Docker sandbox: one hardened container per run on the real Docker engine, with the
/// `taas-agent` as its main process (behind `tini`), reached through a unix socket in a
/// harness-owned folder, so that each step costs no `docker exec`.
///
/// Hardening (each recorded in the report): network `none` (its own loopback only), all
/// capabilities dropped, `no-new-privileges`, pids, memory and CPU limits, user `nobody`, a
/// read-only root filesystem with a writable workspace volume and a tmpfs `/tmp`. The workspace
/// is copied in through the Engine API's archive endpoint; artifacts are copied out the same way.
/// The container is removed at the end in every case.
public struct DockerSandbox: Sandbox {
    /// The image used when the scope names none.
    public static let defaultImage = "python:3.11-slim"
    /// The label that carries the run id (and `taas gc` looks for).
    public static let runLabel = "maestro-taas.run"
    /// The label that carries the pid of the `taas` process that owns the container.
    public static let ownerLabel = "maestro-taas.owner-pid"

    /// The Docker engine's API endpoint.
    public var endpoint: DockerEndpoint

    /// A Docker sandbox on `endpoint` (default: `DOCKER_HOST`, else the local socket). Its limits
    /// (``SandboxConfiguration/limits`` over ``ContainerLimits/defaults``) and whether it may pull
    /// (``SandboxConfiguration/offline``) come with each run's configuration.
    public init(endpoint: DockerEndpoint? = nil) {
        self.endpoint = endpoint ?? (try? DockerEndpoint.fromEnvironment()) ?? DockerEndpoint.default
    }

    public var kind: String { "docker" }

    /// The dependencies are installed once per image into an environment image (see ``EnvironmentImage``).
    public var installsDependencies: Bool { true }

    public var isolates: Bool { true }

    /// The image's id (the image holds the programs steps call, so `programs` adds nothing) and the
    /// container's limits.
    public func environmentIdentity(
        _ configuration: SandboxConfiguration,
        programs: [ProgramLookup]
    ) async throws(SandboxError) -> [String: String] {
        let client = DockerClient(endpoint: endpoint)
        let image = configuration.image ?? Self.defaultImage
        let info: ImageInfo?
        do { info = try await client.imageInspect(image) } catch {
            await client.shutdown()
            throw SandboxError(.unavailable, "cannot inspect the image \(image): \(error)")
        }
        await client.shutdown()
        guard let info else { throw SandboxError(.unavailable, "the image \(image) is not present yet") }
        let limits = ContainerLimits(scope: configuration.limits)
        return [
            "image_id": info.id,
            "limits": "memory=\(limits.memoryMB)MiB pids=\(limits.pids) cpus=\(limits.cpus)",
        ]
    }

    /// The volume that holds the workspace and the artifacts. Steps run as `nobody`, and a volume's
    /// own root belongs to root, so the writable folders are made one level down, owned by `nobody`.
    static let volumePath = "/sandbox"
    static let workspacePath = "/sandbox/workspace"
    static let artifactsPath = "/sandbox/artifacts"
    static let user = "65534:65534"
    /// The agent's user: root, with every capability dropped but ``agentCapabilities``.
    static let agentUser = "0:0"
    static let agentCapabilities = ["KILL", "SETUID", "SETGID"]

    public func withInstance<Result: Sendable>(
        _ configuration: SandboxConfiguration,
        _ body: (any SandboxInstance) async throws -> Result
    ) async throws -> Result {
        let clock = configuration.clock
        let imageStart = ContinuousClock.now
        let client = DockerClient(endpoint: endpoint)
        let apiVersion: String
        do { apiVersion = try await client.negotiate() } catch {
            throw SandboxError(.unavailable, error.description)
        }
        let image = configuration.image ?? Self.defaultImage
        let images = ImageProvider(
            client: client,
            offline: configuration.offline,
            cacheDirectory: configuration.cacheDirectory
        )
        let observer = configuration.observer
        let imageInfo = try await images.ensure(image) { note in observer.handle(.note(note)) }
        clock.record("image", from: imageStart)

        let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")
            .appendingPathComponent("taas-\(configuration.runID)")
        defer { try? FileManager.default.removeItem(at: root) }
        let control = root.appendingPathComponent("ctl")
        do {
            try FileManager.default.createDirectory(at: control, withIntermediateDirectories: true)
            try HostTools.makeTraversable(root)
            // Private to taas's user: the agent (root in the container, with no capability to
            // override file permissions) makes its socket here; steps (nobody) can neither enter
            // nor write it, and no other user of the host can swap the socket.
            chmod(control.path, 0o700)
        } catch {
            throw SandboxError(.workspaceFailed, "cannot create the sandbox folder \(root.path): \(error)")
        }
        let agent = try await clock.measure("agent_binary") { () async throws(SandboxError) in
            try await AgentBinary.path(cacheDirectory: configuration.cacheDirectory)
        }
        let copyStart = ContinuousClock.now
        do {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent("box/artifacts"),
                withIntermediateDirectories: true
            )
        } catch {
            throw SandboxError(.workspaceFailed, "cannot create the sandbox folder \(root.path): \(error)")
        }
        try WorkspaceCopy.copy(
            from: configuration.workspace,
            to: root.appendingPathComponent("box/workspace"),
            excludedPaths: configuration.excludedPaths,
            owner: nil
        )
        let boxTar = try await Self.tar(
            root.appendingPathComponent("box"),
            into: root.appendingPathComponent("box.tar")
        )
        clock.record("workspace_copy", from: copyStart)

        var binds = ["\(agent.deletingLastPathComponent().path):/taas/bin:ro", "\(control.path):/taas/ctl:rw"]
        var environment: [String: String] = [
            "PATH": JailSandbox.systemPath, "HOME": "/tmp", "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1", "TAAS_RUN_ID": configuration.runID, "TAAS_WORKSPACE": Self.workspacePath,
            "TMPDIR": "/tmp",
        ]
        var environmentImage: EnvironmentImage?
        if !configuration.dependencies.isEmpty {
            let made = try await clock.measure("environment_image") {
                try await EnvironmentImage.ensure(
                    client: client,
                    image: image,
                    imageInfo: imageInfo,
                    dependencies: configuration.dependencies,
                    configuration: configuration
                )
            }
            environment["PATH"] = "\(EnvironmentImage.venvPath)/bin:" + JailSandbox.systemPath
            environment["VIRTUAL_ENV"] = EnvironmentImage.venvPath
            environmentImage = made
        }
        let limits = ContainerLimits(scope: configuration.limits)
        let memory = Int64(limits.memoryMB) * 1024 * 1024
        var spec = ContainerSpec(
            image: environmentImage?.reference ?? image,
            cmd: [],
            entrypoint: [
                "/taas/bin/taas-agent", "--listen", "/taas/ctl/agent.sock",
                // The workspace volume is on the host's disk: no file may be larger than this.
                "--limit-fsize", String(JailLimits.defaults.fileSizeMB * 1024 * 1024),
                // Steps run as nobody; the agent runs as root with only the capabilities it needs to
                // start them as nobody and to stop them, so a step cannot signal it.
                "--step-user", Self.user,
            ],
            env: [],
            user: Self.agentUser,
            workingDir: Self.workspacePath,
            labels: ContainerOwner.labels.merging([Self.runLabel: configuration.runID]) { _, run in run },
            volumes: [Self.volumePath],
            networkDisabled: true,
            hostConfig: .init(
                networkMode: "none",
                capDrop: ["ALL"],
                securityOpt: ["no-new-privileges"],
                pidsLimit: Int64(limits.pids),
                memory: memory,
                memorySwap: memory,
                nanoCpus: Int64(limits.cpus * 1_000_000_000),
                readonlyRootfs: true,
                tmpfs: ["/tmp": "rw,exec,nosuid,nodev,size=512m,mode=1777"],
                binds: binds,
                init: true,
                capAdd: Self.agentCapabilities
            )
        )
        let containerID: String
        do { containerID = try await client.createContainer(name: "taas-\(configuration.runID)", spec: spec) } catch {
            // `taas cache clear` (or gc) in another shell may remove the environment image between its
            // check and this create: make it again, once.
            guard error.code == .notFound, environmentImage != nil else {
                throw SandboxError(.startFailed, "cannot create the container: \(error)")
            }
            let remade = try await EnvironmentImage.ensure(
                client: client,
                image: image,
                imageInfo: imageInfo,
                dependencies: configuration.dependencies,
                configuration: configuration
            )
            spec.image = remade.reference
            environmentImage = remade
            do { containerID = try await client.createContainer(name: "taas-\(configuration.runID)", spec: spec) } catch
            {
                throw SandboxError(.startFailed, "cannot create the container: \(error)")
            }
        }
        do {
            let result = try await run(
                containerID: containerID,
                client: client,
                boxTar: boxTar,
                control: control,
                environment: environment,
                image: image,
                imageInfo: imageInfo,
                apiVersion: apiVersion,
                environmentImage: environmentImage,
                dependencies: configuration.dependencies,
                configuration: configuration,
                body
            )
            if let problem = await Self.remove(containerID, client: client) {
                // The run itself went through, but the engine (gone, say) kept its container.
                throw SandboxError(.broken, problem)
            }
            return result
        } catch {
            _ = await Self.remove(containerID, client: client)
            throw error
        }
    }

    private func run<Result: Sendable>(
        containerID: String,
        client: DockerClient,
        boxTar: Data,
        control: URL,
        environment: [String: String],
        image: String,
        imageInfo: ImageProvider.Info,
        apiVersion: String,
        environmentImage: EnvironmentImage?,
        dependencies: [String],
        configuration: SandboxConfiguration,
        _ body: (any SandboxInstance) async throws -> Result
    ) async throws -> Result {
        let agentStart = ContinuousClock.now
        do {
            try await client.putArchive(containerID, path: Self.volumePath, tar: boxTar)
            try await client.start(containerID)
        } catch {
            throw SandboxError(.startFailed, "cannot prepare the container: \(error)")
        }
        let socket = try await Self.connect(
            to: control.appendingPathComponent("agent.sock"),
            containerID: containerID,
            client: client
        )
        let connection = AgentConnection(socket: socket)
        defer { connection.close() }
        let ready = await AgentLauncher.waitUntilReady(connection, limit: .seconds(30))
        configuration.clock.record("agent_start", from: agentStart)
        guard ready else {
            throw SandboxError(
                .startFailed,
                "the agent in the container did not start: \(connection.closedReason ?? "")"
            )
        }
        let limits = ContainerLimits(scope: configuration.limits)
        var settings: [String: String] = [
            "image": image, "image_id": imageInfo.id, "image_built_locally": imageInfo.builtLocally ? "true" : "false",
            "network": "none (own loopback only)", "capabilities": "none in steps (all dropped)",
            "no_new_privileges": "true",
            "pids_limit": String(limits.pids), "memory_limit": "\(limits.memoryMB) MiB",
            "cpu_limit": String(limits.cpus),
            "user": "\(Self.user) (nobody)",
            "agent_user": "root with only \(Self.agentCapabilities.joined(separator: ", ")); steps cannot signal it",
            "root_filesystem": "read-only", "workspace": "\(Self.workspacePath) (a copy, in a volume)",
            "tmp": "tmpfs 512 MiB", "file_size_limit": "\(JailLimits.defaults.fileSizeMB) MiB", "init": "tini",
            "engine_api": apiVersion, "container": String(containerID.prefix(12)),
            "environment": "cleared; only the scope's variables",
            "control_folder": "/taas/ctl, the agent's socket only: mode 0700 on the host, closed to steps",
            "artifacts_copy_out":
                "by the agent: regular files of at most \(ConfinedFile.defaultLimit >> 20) MiB, opened without following links; links, FIFOs and devices refused",
        ]
        if let environmentImage {
            settings["dependencies"] = dependencies.joined(separator: ", ")
            settings["environment_image"] = "\(environmentImage.reference) (\(environmentImage.id.prefix(19)))"
            settings["environment_image_reused"] = environmentImage.reused ? "true" : "false"
            if let wheelsReused = environmentImage.wheelhouseReused {
                settings["wheelhouse_reused"] = wheelsReused ? "true" : "false"
            }
        }
        let instance = AgentInstance(
            description: SandboxDescription(kind: kind, settings: settings),
            workspacePath: Self.workspacePath,
            artifactsPath: Self.artifactsPath,
            connection: connection,
            baseEnvironment: environment,
            configuration: configuration
        ) { name throws(SandboxError) in
            try await AgentInstance.copyOut(
                name,
                from: Self.artifactsPath,
                limit: ConfinedFile.defaultLimit,
                through: connection
            )
        }
        return try await body(instance)
    }

    /// Waits for the agent's socket to appear and connects to it.
    private static func connect(
        to socketPath: URL,
        containerID: String,
        client: DockerClient
    ) async throws(SandboxError) -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(15)
        while clock.now < deadline {
            let fd = socket(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let path = socketPath.path
            withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                path.utf8CString.withUnsafeBytes { source in
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source.prefix(buffer.count - 1)))
                }
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if connected == 0 { return fd }
            close(fd)
            if let state = try? await client.inspectContainer(containerID), !state.running {
                throw SandboxError(
                    .startFailed,
                    "the container stopped before its agent started (exit code \(state.exitCode))"
                )
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        throw SandboxError(.startFailed, "the agent in the container did not open its socket within 15 s")
    }

    /// Removes a run's container (and shuts the client down unless told not to); returns what went
    /// wrong when it could not be removed.
    static func remove(_ containerID: String, client: DockerClient, shutdown: Bool = true) async -> String? {
        // Removal must happen even when the run's task was cancelled.
        await Task {
            var problem: String?
            do { try await client.remove(containerID, force: true) } catch {
                problem =
                    "the container \(containerID.prefix(12)) could not be removed (\(error)); "
                    + "once the Docker engine answers again, `taas gc` removes it"
            }
            if shutdown { await client.shutdown() }
            return problem
        }.value
    }

    /// A tar archive of a folder's contents, owned by the sandbox user.
    private static func tar(_ folder: URL, into file: URL) async throws(SandboxError) -> Data {
        let result = await HostTools.run(
            "/bin/tar",
            ["-C", folder.path, "--numeric-owner", "--owner=65534", "--group=65534", "-cf", file.path, "."]
        )
        guard result.exitCode == 0, let data = try? Data(contentsOf: file) else {
            throw SandboxError(
                .workspaceFailed,
                "cannot archive \(folder.path) for the container: \(result.output.suffix(1000))"
            )
        }
        return data
    }
}

extension Sandbox where Self == DockerSandbox {
    /// One hardened container per run on the Docker engine.
    public static var docker: DockerSandbox { DockerSandbox() }
}
