import ArgumentParser
import Foundation
import TaaSCore
import TaaSEngine

/// `--sandbox`, `--unsafe-local`, `--offline`, `--memory`, `--pids`, `--cpus` and `--cache-dir`,
/// shared by `taas run` and `taas replay`: which sandbox runs the scope, and with which limits.
struct SandboxOptions: ParsableArguments {
    /// The sandboxes `--sandbox` chooses from.
    static let sandboxes = SandboxRegistry.standard

    @Option(
        help: ArgumentHelp(
            "The sandbox: \(SandboxOptions.sandboxes.kinds.joined(separator: ", ")) (default: the scope's environment.type).",
            valueName: "kind"
        ),
        completion: .list(SandboxOptions.sandboxes.kinds)
    )
    var sandbox: String?

    @Flag(
        help:
            "Allow the local sandbox: steps run as plain host processes, with no isolation. Without --sandbox, runs in it."
    )
    var unsafeLocal = false

    @Flag(help: "Never pull container images from a registry (docker).")
    var offline = false

    @Option(
        help:
            "Memory limit in MiB, over the scope's environment.limits (docker: the container's, default 1024; jail, venv: each process's address space, default 4096)."
    )
    var memory: Int?

    @Option(help: "Process limit, over the scope's environment.limits (default 256).")
    var pids: Int?

    @Option(help: "CPU limit, over the scope's environment.limits (docker; default 2).")
    var cpus: Double?

    @Option(help: "Where virtualenvs and the sandbox agent are cached (default: TAAS_CACHE_DIR, or a per-user cache).")
    var cacheDir: String?

    func validate() throws {
        if let memory, memory < 16 { throw ValidationError("--memory must be at least 16 (MiB), not \(memory)") }
        if let pids, pids < 8 { throw ValidationError("--pids must be at least 8, not \(pids)") }
        if let cpus, cpus < 0.01 { throw ValidationError("--cpus must be at least 0.01, not \(cpus)") }
        if let sandbox {
            do { _ = try Self.sandboxes.resolve(kind: sandbox, allowUnsafe: unsafeLocal) } catch {
                throw ValidationError("--sandbox \(sandbox): \(error.message)")
            }
        }
    }

    /// The kind of sandbox chosen on the command line: `--sandbox`, else with `--unsafe-local` the
    /// sandbox that does not isolate; `nil` leaves it to the scope.
    var chosenKind: String? {
        if let sandbox { return sandbox }
        guard unsafeLocal else { return nil }
        return Self.sandboxes.kinds.first { Self.sandboxes.sandbox(kind: $0)?.isolates == false }
    }

    /// Whether the chosen sandbox runs steps as plain host processes.
    var choosesUnsafeSandbox: Bool {
        guard let kind = chosenKind else { return false }
        return Self.sandboxes.sandbox(kind: kind)?.isolates == false
    }

    /// Sets the sandbox, its limits and the cache folder of `options`.
    func apply(to options: inout RunOptions) {
        options.allowUnsafeLocal = unsafeLocal
        options.sandboxes = Self.sandboxes
        options.sandboxKind = chosenKind
        if memory != nil || pids != nil || cpus != nil {
            options.limits = ResourceLimits(memoryMB: memory, pids: pids, cpus: cpus)
        }
        options.offline = offline
        if let cacheDir { options.cacheDirectory = URL(fileURLWithPath: cacheDir).standardizedFileURL }
    }
}
