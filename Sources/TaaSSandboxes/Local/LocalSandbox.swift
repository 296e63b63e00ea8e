import Foundation
import TaaSCore

/// The unsafe local mode: steps run as plain host processes (in a copy of the workspace), with no
/// isolation at all. Only for when the user asks for it explicitly.
public struct LocalSandbox: HostProgramSandbox {
    public init() {}

    public var kind: String { "local" }

    public var installsDependencies: Bool { false }

    /// Steps run as plain host processes: used only with `--unsafe-local`.
    public var isolates: Bool { false }

    public func withInstance<Result: Sendable>(
        _ configuration: SandboxConfiguration,
        _ body: (any SandboxInstance) async throws -> Result
    ) async throws -> Result {
        try await AgentLauncher.withAgent(
            configuration: configuration,
            makePlan: { folders, agent in
                let host = ProcessInfo.processInfo.environment
                return AgentLauncher.Plan(
                    executable: agent.path,
                    arguments: [],
                    user: nil,
                    description: SandboxDescription(
                        kind: kind,
                        unsafe: true,
                        settings: [
                            "isolation": "none: steps run as host processes (--unsafe-local)",
                            "workspace": "\(folders.workspace.path) (a copy)",
                            "network": "the host's",
                        ]
                    ),
                    workspacePath: folders.workspace.path,
                    artifactsPath: folders.artifacts.path,
                    environment: [
                        "PATH": host["PATH"] ?? JailSandbox.systemPath, "HOME": host["HOME"] ?? "/tmp",
                        "LANG": "C.UTF-8",
                        "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1", "TAAS_RUN_ID": configuration.runID,
                        "TAAS_WORKSPACE": folders.workspace.path,
                    ]
                )
            },
            body
        )
    }
}

extension Sandbox where Self == LocalSandbox {
    /// Plain host processes; no isolation.
    public static var local: LocalSandbox { LocalSandbox() }
}
