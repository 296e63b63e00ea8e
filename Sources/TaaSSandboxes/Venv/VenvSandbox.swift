import Crypto
import Foundation
import TaaSCore

/// The seed's virtualenv environment: the scope's dependencies installed with pip into a
/// virtualenv kept in a cache (keyed by the interpreter's version and the sorted dependencies),
/// made once and reused; the scope then runs in the jail with that virtualenv first on `PATH`,
/// read-only.
public struct VenvSandbox: HostProgramSandbox {
    /// The interpreter that makes the virtualenv; it must be one the jail sees (under /usr).
    public var python: String

    public init(python: String = "/usr/bin/python3") {
        self.python = python
    }

    public var kind: String { "venv" }

    public var installsDependencies: Bool { true }

    public var isolates: Bool { true }

    public func withInstance<Result: Sendable>(
        _ configuration: SandboxConfiguration,
        _ body: (any SandboxInstance) async throws -> Result
    ) async throws -> Result {
        let cache = VirtualEnvironmentCache(
            python: python,
            directory: configuration.cacheDirectory.appendingPathComponent("venvs")
        )
        let environment = try await configuration.clock.measure("venv") {
            try await cache.environment(for: configuration.dependencies) { status in
                configuration.observer.handle(.progress("venv: \(status)"))
            }
        }
        var jail = JailSandbox(
            extraReadOnlyFolders: [environment.path.path],
            pathPrefix: [environment.path.appendingPathComponent("bin").path],
            extraSettings: [
                "venv": "\(environment.path.path) (read-only, cached)",
                "venv_key": environment.key,
                "python": environment.pythonVersion,
                "dependencies": configuration.dependencies.joined(separator: ", "),
                "venv_reused": environment.reused ? "true" : "false",
            ],
            extraEnvironment: ["VIRTUAL_ENV": environment.path.path]
        )
        jail.reportedKind = kind
        jail.bytecode = BytecodeSeeding(
            storeFolder: BytecodeSeeding.store(ofVirtualenv: environment.path),
            python: environment.path.appendingPathComponent("bin/python").path
        )
        return try await jail.withInstance(configuration, body)
    }
}

extension Sandbox where Self == VenvSandbox {
    /// A cached virtualenv with the scope's dependencies, inside the jail.
    public static var venv: VenvSandbox { VenvSandbox() }
}
