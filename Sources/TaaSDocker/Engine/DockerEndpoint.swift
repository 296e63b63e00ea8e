import Foundation

/// Where the Docker engine listens: a unix socket path.
///
/// Only unix sockets are supported; TCP, SSH and named-pipe endpoints are refused.
public struct DockerEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The path of the engine's unix socket, such as `/var/run/docker.sock`.
    public var socketPath: String

    /// The engine's usual socket, `unix:///var/run/docker.sock`. It does not look at `DOCKER_HOST`:
    /// use ``fromEnvironment(_:)`` for that.
    public static let `default` = DockerEndpoint(socketPath: "/var/run/docker.sock")

    /// The longest socket path the kernel accepts (`sun_path` is 108 bytes, including the final NUL).
    static let maximumSocketPathLength = 107

    /// Creates an endpoint for a unix socket path, without checking it.
    ///
    /// - Parameter socketPath: The path of the engine's unix socket.
    public init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// An endpoint for a unix socket path, without checking it.
    ///
    /// - Parameter path: The path of the engine's unix socket.
    /// - Returns: The endpoint.
    public static func unixSocket(_ path: String) -> DockerEndpoint {
        DockerEndpoint(socketPath: path)
    }

    /// Parses a `DOCKER_HOST` value: `unix:///absolute/path` is accepted; an empty value means ``default``.
    ///
    /// - Parameter dockerHost: The value, such as `unix:///run/user/1000/docker.sock`.
    /// - Throws: ``DockerError`` with code ``DockerError/Code/unsupported`` for `tcp://`, `ssh://`,
    ///   `npipe://` and other schemes, a relative or empty path, or a path too long for a unix socket.
    public init(dockerHost: String) throws(DockerError) {
        let value = dockerHost.trimmingCharacters(in: .whitespaces)
        if value.isEmpty {
            self = .default
            return
        }
        let prefix = "unix://"
        guard value.lowercased().hasPrefix(prefix) else {
            throw DockerError(
                .unsupported,
                "DOCKER_HOST=\(value) is not supported: only unix sockets are (for example "
                    + "unix:///var/run/docker.sock); unset DOCKER_HOST or point it at the engine's unix socket"
            )
        }
        let path = String(value.dropFirst(prefix.count))
        guard path.hasPrefix("/"), path.count > 1 else {
            throw DockerError(
                .unsupported,
                "DOCKER_HOST=\(value) does not name an absolute socket path; "
                    + "write it as unix:///absolute/path/to/docker.sock"
            )
        }
        guard path.utf8.count <= Self.maximumSocketPathLength else {
            throw DockerError(
                .unsupported,
                "DOCKER_HOST=\(value) names a socket path of \(path.utf8.count) bytes, longer than the "
                    + "\(Self.maximumSocketPathLength) a unix socket allows; start the engine on a shorter path"
            )
        }
        self.socketPath = path
    }

    /// The endpoint named by `DOCKER_HOST`, or ``default`` when it is unset or empty.
    ///
    /// - Parameter environment: The environment to read; the process's by default.
    /// - Returns: The endpoint.
    /// - Throws: ``DockerError`` with code ``DockerError/Code/unsupported`` when `DOCKER_HOST` is not a
    ///   `unix://` socket path (see ``init(dockerHost:)``).
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(DockerError) -> DockerEndpoint {
        guard let value = environment["DOCKER_HOST"] else { return .default }
        return try DockerEndpoint(dockerHost: value)
    }

    /// The endpoint as a `DOCKER_HOST` value, such as `unix:///var/run/docker.sock`.
    public var description: String { "unix://\(socketPath)" }
}
