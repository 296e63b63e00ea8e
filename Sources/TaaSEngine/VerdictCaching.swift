import Foundation
import TaaSCore
import TaaSDocker
import TaaSIntegrity
import TaaSSandboxes

/// The inputs of a run that can change its verdict, as a ``VerdictCacheKey``.
///
/// In the key: the `taas` version, the scope's fingerprint (which covers its dependencies, env,
/// limits, commands and timeouts), the workspace digest (every file `.gitignore` does not ignore,
/// minus `integrity.ignore`), the sandbox kind and what it runs on (the image id for docker with its
/// limits; the host's Python, its packages and the other runners' programs for jail, venv and
/// local), the lock's fingerprint and `--jobs`. Not in it: files `.gitignore` ignores, the host's
/// other programs, the time of day and anything a test reads from outside the sandbox (which it
/// cannot reach).
enum VerdictCaching {
    static func key(
        for scope: TestScope, sandbox: any Sandbox, options: RunOptions
    ) async throws(IntegrityError) -> VerdictCacheKey {
        var ignored = scope.integrity.ignore.map(GlobPattern.init)
        ignored += options.outputInsideWorkspace.map { GlobPattern("/" + $0) }
        var parts: [String: String] = [
            "taas_version": Harness.version,
            "scope_fingerprint": scope.fingerprint,
            "workspace_digest": try await WorkspaceDigest(workspace: options.workspace, ignored: ignored).compute(),
            "sandbox": sandbox.kind,
            "jobs": String(options.jobs),
            "lock_fingerprint": options.lockCheck.fingerprint ?? "none",
        ]
        if options.strictLedger { parts["strict_ledger"] = "true" }
        for (name, value) in try await environmentIdentity(of: sandbox, scope: scope) { parts[name] = value }
        if !(sandbox is DockerSandbox) {
            for (name, value) in toolIdentity(of: scope) { parts[name] = value }
        }
        return VerdictCacheKey(parts: parts)
    }

    private static func environmentIdentity(
        of sandbox: any Sandbox, scope: TestScope
    ) async throws(IntegrityError) -> [String: String] {
        if let docker = sandbox as? DockerSandbox {
            let client = DockerClient(endpoint: docker.endpoint)
            let image = scope.environment.image ?? DockerSandbox.defaultImage
            let info: ImageInfo?
            do { info = try await client.imageInspect(image) } catch {
                await client.shutdown()
                throw IntegrityError("cannot inspect the image \(image): \(error)")
            }
            await client.shutdown()
            guard let info else { throw IntegrityError("the image \(image) is not present yet") }
            return [
                "image_id": info.id,
                "limits": "memory=\(docker.limits.memoryMB)MiB pids=\(docker.limits.pids) cpus=\(docker.limits.cpus)",
            ]
        }
        return hostPythonIdentity()
    }

    /// The programs of the scope's other runners (`go`, `node`, `cargo`, `swift`) as the jail sees
    /// them on its `PATH`: the resolved file, its size and modification time. A toolchain upgraded
    /// on the host is another environment.
    static func toolIdentity(of scope: TestScope) -> [String: String] {
        let tools = ["go": "go", "node": "node", "cargo": "cargo", "swift": "swift"]
        var parts: [String: String] = [:]
        for scenario in scope.scenarios {
            guard case .execution(let execution) = scenario.action, let tool = tools[execution.runner] else { continue }
            let path = scenario.environment["PATH"] ?? scope.environment.variables["PATH"]
                ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            let found = path.split(separator: ":").map { "\($0)/\(tool)" }
                .first { FileManager.default.isExecutableFile(atPath: $0) }
            parts["tool_\(tool)"] = found.map(fileIdentity) ?? "not found"
        }
        return parts
    }

    private static func fileIdentity(_ path: String) -> String {
        HostFileIdentity.describe(path) ?? "\(path) unreadable"
    }

    /// The host's Python, which the jail, venv and local sandboxes run: the interpreter's file
    /// (path, size, modification time) and the names (with versions) of the packages installed for
    /// it, read without starting Python, so that a cached run stays fast.
    static func hostPythonIdentity() -> [String: String] {
        let host = HostPython.identity()
        return ["python": host.interpreter, "python_packages": FileDigest.of(Data(host.packages.joined(separator: "\n").utf8))]
    }
}
