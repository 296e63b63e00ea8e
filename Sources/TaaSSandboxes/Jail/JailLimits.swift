import TaaSCore

/// The resource limits of a jail (and of the venv sandbox, which runs in one): bubblewrap has no
/// cgroup of its own, so the agent sets rlimits that every step inherits, and `/tmp` is a tmpfs
/// of bounded size.
///
/// - `memory_mb` bounds each process's address space (RLIMIT_AS; virtual memory, so a little
///   looser than a container's cgroup limit) and the size of the `/tmp` tmpfs.
/// - `pids` bounds the processes and threads of the jail at once (RLIMIT_NPROC, which the jail's
///   own user namespace makes count only the jail's processes).
/// - Every file a step writes is at most ``fileSizeMB`` (RLIMIT_FSIZE; a bigger write fails with
///   `EFBIG` and the writer gets `SIGXFSZ`).
public struct JailLimits: Sendable, Equatable {
    /// The most address space of one process, in MiB.
    public var memoryMB: Int
    /// The most processes and threads at once.
    public var pids: Int
    /// The largest file a step may write, in MiB.
    public var fileSizeMB: Int
    /// The size of the private `/tmp`, in MiB.
    public var tmpSizeMB: Int

    /// The defaults: 4096 MiB of address space per process (virtual memory: runtimes reserve more
    /// than they use), 256 processes, files up to 1024 MiB, a 512 MiB `/tmp`.
    public static let defaults = JailLimits(memoryMB: 4096, pids: 256, fileSizeMB: 1024, tmpSizeMB: 512)

    public init(memoryMB: Int, pids: Int, fileSizeMB: Int, tmpSizeMB: Int) {
        self.memoryMB = memoryMB
        self.pids = pids
        self.fileSizeMB = fileSizeMB
        self.tmpSizeMB = tmpSizeMB
    }

    /// The defaults overridden by the scope's `environment.limits` (`cpus` is not enforced in a jail).
    public init(scope: ResourceLimits?) {
        self = .defaults
        if let memory = scope?.memoryMB {
            memoryMB = memory
            tmpSizeMB = min(tmpSizeMB, memory)
        }
        if let pids = scope?.pids { self.pids = pids }
    }

    /// The agent's options that apply these limits.
    var agentArguments: [String] {
        let mebibyte = 1024 * 1024
        return [
            "--limit-as", String(memoryMB * mebibyte), "--limit-nproc", String(pids),
            "--limit-fsize", String(fileSizeMB * mebibyte),
        ]
    }

    /// The settings recorded in the report's `sandbox` block.
    var settings: [String: String] {
        [
            "memory_limit": "\(memoryMB) MiB address space per process",
            "pids_limit": String(pids),
            "file_size_limit": "\(fileSizeMB) MiB",
            "tmp": "private tmpfs, \(tmpSizeMB) MiB",
            "cpu_limit": "none",
        ]
    }
}
