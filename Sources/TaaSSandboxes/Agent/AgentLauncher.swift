import Foundation
import Subprocess
import TaaSCore

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Starts a `taas-agent` (inside bubblewrap or directly), hands it to a body as a sandbox instance,
/// and makes sure that everything it ran has ended and its folders are gone when the body is done.
public struct AgentLauncher {
    /// The folders of one sandbox instance on the host.
    struct RunFolders {
        /// The instance's private folder, removed at the end.
        var root: URL
        /// The workspace copy.
        var workspace: URL
        /// The artifacts folder (JUnit XML files and the like).
        var artifacts: URL
    }

    /// How to start the agent once the folders exist.
    struct Plan {
        var executable: String
        var arguments: [String]
        /// The user the agent runs as, when the harness drops root's privileges.
        var user: (uid: uid_t, gid: gid_t)?
        var description: SandboxDescription
        var workspacePath: String
        var artifactsPath: String
        var environment: [String: String]
        /// Bytecode that taas compiles for the workspace copy's Python files (the jail and venv
        /// sandboxes; `nil` for the local one).
        var bytecode: BytecodeSeeding? = nil
    }

    /// The user that sandboxes run as when `taas` itself runs as root: `nobody`.
    static var unprivilegedUser: (uid: uid_t, gid: gid_t)? {
        getuid() == 0 ? (65534, 65534) : nil
    }

    static func withAgent<Result: Sendable>(
        configuration: SandboxConfiguration,
        makePlan: (RunFolders, URL) throws(SandboxError) -> Plan,
        _ body: (any SandboxInstance) async throws -> Result
    ) async throws -> Result {
        let clock = configuration.clock
        let agent = try await clock.measure("agent_binary") { () async throws(SandboxError) in
            try await AgentBinary.path(cacheDirectory: configuration.cacheDirectory)
        }
        let folders = try makeFolders(configuration)
        defer { try? FileManager.default.removeItem(at: folders.root) }
        let plan = try makePlan(folders, agent)
        // The workspace folder exists, empty, when the sandbox starts (bubblewrap binds it); the copy
        // fills it while the sandbox starts, and is complete before the agent gets its first step.
        guard mkdir(folders.workspace.path, 0o755) == 0 else {
            throw SandboxError(
                .workspaceFailed,
                "cannot create \(folders.workspace.path): \(String(cString: strerror(errno)))"
            )
        }
        if let user = plan.user {
            chown(folders.workspace.path, user.uid, user.gid)
            chown(folders.artifacts.path, user.uid, user.gid)
        }

        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw SandboxError(.startFailed, "cannot make the agent's socket: \(String(cString: strerror(errno)))")
        }
        let connection = AgentConnection(socket: pair[0])
        let diagnostics = folders.root.appendingPathComponent("sandbox.log")
        let diagnosticsFD = open(diagnostics.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)

        // The drop to the unprivileged user is done by setpriv(1), not by Subprocess's userID: that
        // path forks with a raw clone and calls setuid in the child, which can deadlock in glibc when
        // the parent has other threads (seen here: the child hung on a futex before exec).
        var executable = plan.executable
        var arguments = plan.arguments
        if let user = plan.user {
            guard let setpriv = HostTools.find(["setpriv", "/usr/bin/setpriv"]) else {
                throw SandboxError(
                    .missingTool,
                    "setpriv (util-linux) is needed to run the sandbox as an unprivileged user"
                )
            }
            arguments = ["--reuid=\(user.uid)", "--regid=\(user.gid)", "--clear-groups", "--", executable] + arguments
            executable = setpriv
        }
        // A session of its own: Ctrl-C in a terminal reaches taas, which stops the scenarios and runs
        // teardown, and not the sandbox, which would die before its teardown could run.
        if let setsid = HostTools.find(["setsid", "/usr/bin/setsid"]) {
            arguments = ["--", executable] + arguments
            executable = setsid
        }
        let spawnStart = ContinuousClock.now
        var options = PlatformOptions()
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(5))]
        do {
            let execution = try await Subprocess.run(
                .path(FilePath(executable)),
                arguments: Arguments(arguments),
                environment: .custom([:]),
                platformOptions: options,
                input: .fileDescriptor(FileDescriptor(rawValue: pair[1]), closeAfterSpawningProcess: true),
                output: .fileDescriptor(FileDescriptor(rawValue: diagnosticsFD), closeAfterSpawningProcess: true),
                error: .combinedWithOutput
            ) { _ -> Swift.Result<Result, any Error> in
                defer { connection.close() }
                let pendingBytecode: [BytecodeSeeding.Pending]
                do {
                    let copyStart = ContinuousClock.now
                    try WorkspaceCopy.copy(
                        from: configuration.workspace,
                        to: folders.workspace,
                        excludedPaths: configuration.excludedPaths,
                        owner: plan.user
                    )
                    let seedStart = ContinuousClock.now
                    clock.record("workspace_copy", from: copyStart, to: seedStart)
                    pendingBytecode = plan.bytecode?.seedFromStore(workspace: folders.workspace, owner: plan.user) ?? []
                    if plan.bytecode != nil { clock.record("bytecode_seed", from: seedStart) }
                } catch {
                    return .failure(error)
                }
                let ready = await Self.waitUntilReady(connection, limit: .seconds(30))
                clock.record("agent_start", from: spawnStart)
                guard ready else {
                    let log = (try? String(contentsOf: diagnostics, encoding: .utf8)) ?? ""
                    return .failure(
                        SandboxError(
                            .startFailed,
                            "the \(plan.description.kind) sandbox did not start: \(log.trimmingCharacters(in: .whitespacesAndNewlines).suffix(2000))"
                        )
                    )
                }
                let instance = AgentInstance(
                    description: plan.description,
                    workspacePath: plan.workspacePath,
                    artifactsPath: plan.artifactsPath,
                    artifactsOnHost: folders.artifacts,
                    connection: connection,
                    baseEnvironment: plan.environment,
                    configuration: configuration
                )
                // Before any step of the scope runs, so that the copy is still exactly what was judged.
                if let bytecode = plan.bytecode {
                    await clock.measure("bytecode_compile") {
                        await bytecode.compile(
                            pendingBytecode,
                            in: instance,
                            artifactsOnHost: folders.artifacts,
                            logDirectory: folders.root,
                            workspace: folders.workspace,
                            owner: plan.user
                        )
                    }
                }
                do { return .success(try await body(instance)) } catch { return .failure(error) }
            }
            return try execution.closureResult.get()
        } catch let error as SubprocessError {
            throw SandboxError(.startFailed, "cannot start \(plan.executable): \(error)")
        }
    }

    /// Waits for the agent's READY; gives up (closing the connection) after `limit`.
    public static func waitUntilReady(_ connection: AgentConnection, limit: Duration) async -> Bool {
        await withTaskGroup(of: Bool?.self) { group in
            group.addTask { await connection.waitUntilReady() }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            guard let ready = first else {
                connection.close()  // ends the first task: the agent never answered
                await group.waitForAll()
                return false
            }
            await group.waitForAll()
            return ready
        }
    }

    private static func makeFolders(_ configuration: SandboxConfiguration) throws(SandboxError) -> RunFolders {
        let base = URL(fileURLWithPath: ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")
        let root = base.appendingPathComponent("taas-\(configuration.runID)")
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try HostTools.makeTraversable(root)
            let artifacts = root.appendingPathComponent("artifacts")
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: false)
            return RunFolders(root: root, workspace: root.appendingPathComponent("workspace"), artifacts: artifacts)
        } catch {
            throw SandboxError(.workspaceFailed, "cannot create the sandbox folder \(root.path): \(error)")
        }
    }
}
