/// A container's state, from `GET /containers/{id}/json`.
public struct ContainerState: Sendable, Hashable, Decodable {
    /// Docker's status word: `created`, `running`, `paused`, `restarting`, `removing`, `exited` or `dead`.
    public var status: String
    /// Whether the container's main process is running.
    public var running: Bool
    /// The main process's exit code (0 until it has exited; 137 after SIGKILL).
    public var exitCode: Int
    /// Whether the kernel's out-of-memory killer ended a process of the container.
    public var oomKilled: Bool
    /// The main process's PID on the host, or 0 when it is not running.
    public var pid: Int
    /// Why the engine failed to start or run the container, if it says.
    public var error: String?

    /// Creates a state record.
    public init(
        status: String,
        running: Bool,
        exitCode: Int = 0,
        oomKilled: Bool = false,
        pid: Int = 0,
        error: String? = nil
    ) {
        self.status = status
        self.running = running
        self.exitCode = exitCode
        self.oomKilled = oomKilled
        self.pid = pid
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case status = "Status"
        case running = "Running"
        case exitCode = "ExitCode"
        case oomKilled = "OOMKilled"
        case pid = "Pid"
        case error = "Error"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
        self.running = try container.decodeIfPresent(Bool.self, forKey: .running) ?? false
        self.exitCode = try container.decodeIfPresent(Int.self, forKey: .exitCode) ?? 0
        self.oomKilled = try container.decodeIfPresent(Bool.self, forKey: .oomKilled) ?? false
        self.pid = try container.decodeIfPresent(Int.self, forKey: .pid) ?? 0
        let error = try container.decodeIfPresent(String.self, forKey: .error)
        self.error = error?.isEmpty == false ? error : nil
    }
}

/// The part of `GET /containers/{id}/json` that ``DockerClient/inspectContainer(_:)`` reads.
struct ContainerInspectResponse: Decodable {
    var state: ContainerState

    enum CodingKeys: String, CodingKey {
        case state = "State"
    }
}
