import Foundation
import TaaSCore
import TaaSIntegrity

/// The inputs of a run that can change its verdict, as a ``VerdictCacheKey``.
///
/// In the key: the `taas` version, the scope's fingerprint (which covers its dependencies, env,
/// limits, commands and timeouts), the workspace digest (every file `.gitignore` does not ignore,
/// minus `integrity.ignore`), the sandbox kind and what it runs on (its
/// ``Sandbox/environmentIdentity(_:programs:)``: the image id for docker with its limits; the host's
/// Python, its packages and the other runners' programs for jail, venv and local), the lock's
/// fingerprint, `--jobs` and the limits the caller set over the scope's. Not in it: files `.gitignore` ignores, the host's other programs, the
/// time of day and anything a test reads from outside the sandbox (which it cannot reach).
enum VerdictCaching {
    static func key(
        for scope: TestScope,
        sandbox: any Sandbox,
        configuration: SandboxConfiguration,
        options: RunOptions
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
        if let overrides = options.limits {
            // Limits given by the caller (`--memory`) are not in the scope's fingerprint.
            parts["limits_override"] =
                "memory=\(overrides.memoryMB.map(String.init) ?? "scope")MiB pids=\(overrides.pids.map(String.init) ?? "scope") cpus=\(overrides.cpus.map { String($0) } ?? "scope")"
        }
        if options.strictLedger { parts["strict_ledger"] = "true" }
        let identity: [String: String]
        do { identity = try await sandbox.environmentIdentity(configuration, programs: programs(of: scope)) } catch {
            throw IntegrityError(error.message)
        }
        for (name, value) in identity { parts[name] = value }
        return VerdictCacheKey(parts: parts)
    }

    /// The programs of the scope's other runners (`go`, `node`, `cargo`, `swift`), each on the
    /// `PATH` its scenario runs with: a toolchain upgraded on the host is another environment.
    static func programs(of scope: TestScope) -> [ProgramLookup] {
        let tools = ["go": "go", "node": "node", "cargo": "cargo", "swift": "swift"]
        var programs: [ProgramLookup] = []
        for scenario in scope.scenarios {
            guard case .execution(let execution) = scenario.action, let tool = tools[execution.runner] else { continue }
            let path =
                scenario.environment["PATH"] ?? scope.environment.variables["PATH"]
                ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            programs.append(ProgramLookup(name: tool, searchPath: path))
        }
        return programs
    }
}
