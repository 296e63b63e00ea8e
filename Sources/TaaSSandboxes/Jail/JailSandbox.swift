import Foundation
import TaaSCore

/// The bubblewrap sandbox: new user, pid, ipc, uts, cgroup and network namespaces (only its own
/// loopback), the host's system folders read-only, the workspace copy writable at `/workspace`,
/// a private `/tmp` of bounded size, no home folder, no capabilities, `--die-with-parent`, and the
/// memory, process and file-size rlimits of ``JailLimits``.
public struct JailSandbox: HostProgramSandbox {
    /// Read-only folders added to the jail, at the same path as on the host (a virtualenv, say).
    public var extraReadOnlyFolders: [String]
    /// Folders put first on `PATH` inside the jail.
    public var pathPrefix: [String]
    /// Extra settings recorded in the report.
    public var extraSettings: [String: String]
    /// Variables added to every step's environment.
    public var extraEnvironment: [String: String]
    /// taas's own bytecode for the workspace's Python files: the venv sandbox's, or else the host
    /// Python's.
    var bytecode: BytecodeSeeding?
    var reportedKind: String

    public init(
        extraReadOnlyFolders: [String] = [],
        pathPrefix: [String] = [],
        extraSettings: [String: String] = [:],
        extraEnvironment: [String: String] = [:]
    ) {
        self.extraReadOnlyFolders = extraReadOnlyFolders
        self.pathPrefix = pathPrefix
        self.extraSettings = extraSettings
        self.extraEnvironment = extraEnvironment
        self.reportedKind = "jail"
    }

    public var kind: String { reportedKind }

    /// The jail runs what the scope installed itself; ``VenvSandbox`` installs dependencies.
    public var installsDependencies: Bool { false }

    public var isolates: Bool { true }

    /// Where the workspace copy appears inside the jail.
    public static let workspacePath = "/workspace"
    static let artifactsPath = "/taas/artifacts"
    static let agentPath = "/taas/agent"
    public static let systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    public func withInstance<Result: Sendable>(
        _ configuration: SandboxConfiguration,
        _ body: (any SandboxInstance) async throws -> Result
    ) async throws -> Result {
        guard let bwrap = HostTools.find(["bwrap"]) else {
            throw SandboxError(
                .missingTool,
                "bubblewrap (bwrap) is not installed; install it with: apt-get install bubblewrap (or run scripts/setup)"
            )
        }
        return try await AgentLauncher.withAgent(
            configuration: configuration,
            makePlan: { folders, agent in
                let user = AgentLauncher.unprivilegedUser
                var settings: [String: String] = [
                    "network": "none (own loopback only)",
                    "namespaces": "user, pid, ipc, uts, cgroup, network",
                    "capabilities": "none",
                    "root_filesystem": "read-only (host /usr, /etc, /opt read-only)",
                    "workspace": "\(Self.workspacePath) (a copy, writable)",
                    "home": "not mounted",
                    "user": user.map { "uid \($0.uid) (nobody)" } ?? "uid \(getuid()) (the invoking user)",
                    "die_with_parent": "true",
                    "environment": "cleared; only the scope's variables",
                    "artifacts_read":
                        "regular files of at most \(ConfinedFile.defaultLimit >> 20) MiB, opened without following links; links, FIFOs and devices refused",
                ]
                let limits = JailLimits(scope: configuration.limits)
                settings.merge(limits.settings) { $1 }
                let seeding =
                    BytecodeSeeding.isEnabled
                    ? bytecode ?? BytecodeSeeding.forHostPython(cacheDirectory: configuration.cacheDirectory) : nil
                settings["bytecode"] =
                    seeding == nil ? "not compiled by taas (TAAS_BYTECODE=off or no python3)" : BytecodeSeeding.setting
                settings.merge(extraSettings) { $1 }
                let path = (pathPrefix + [Self.systemPath]).joined(separator: ":")
                return AgentLauncher.Plan(
                    executable: bwrap,
                    arguments: arguments(folders: folders, agent: agent, limits: limits),
                    user: user,
                    description: SandboxDescription(kind: kind, settings: settings),
                    workspacePath: Self.workspacePath,
                    artifactsPath: Self.artifactsPath,
                    environment: [
                        "PATH": path, "HOME": "/tmp", "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1",
                        "PYTHONDONTWRITEBYTECODE": "1",
                        "TAAS_RUN_ID": configuration.runID, "TAAS_WORKSPACE": Self.workspacePath, "TMPDIR": "/tmp",
                    ].merging(extraEnvironment) { $1 },
                    bytecode: seeding
                )
            },
            body
        )
    }

    /// The bubblewrap command line.
    func arguments(folders: AgentLauncher.RunFolders, agent: URL, limits: JailLimits = .defaults) -> [String] {
        var arguments = [
            "--unshare-user", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--as-pid-1", "--hostname", "taas-sandbox",
            "--cap-drop", "ALL",
        ]
        arguments += ["--ro-bind", "/usr", "/usr"]
        for folder in ["bin", "sbin", "lib", "lib32", "lib64", "libx32"] {
            let hostPath = "/\(folder)"
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: hostPath) {
                arguments += ["--symlink", target, hostPath]
            } else if FileManager.default.fileExists(atPath: hostPath) {
                arguments += ["--ro-bind", hostPath, hostPath]
            }
        }
        arguments += ["--ro-bind", "/etc", "/etc", "--ro-bind-try", "/opt", "/opt"]
        arguments += [
            "--proc", "/proc", "--dev", "/dev", "--size", String(limits.tmpSizeMB * 1024 * 1024), "--tmpfs", "/tmp",
        ]
        for folder in extraReadOnlyFolders { arguments += ["--ro-bind", folder, folder] }
        arguments += ["--bind", folders.workspace.path, Self.workspacePath]
        arguments += ["--bind", folders.artifacts.path, Self.artifactsPath]
        arguments += ["--ro-bind", agent.path, Self.agentPath]
        arguments += ["--remount-ro", "/", "--chdir", Self.workspacePath, "--clearenv", "--", Self.agentPath]
        arguments += limits.agentArguments
        return arguments
    }
}

extension Sandbox where Self == JailSandbox {
    /// The bubblewrap sandbox.
    public static var jail: JailSandbox { JailSandbox() }
}
