import Foundation
import Logging
import NIOHTTP1

/// Containers: create, start, inspect, kill, wait, remove and list.
extension DockerClient {
    /// Creates a container (`POST /containers/create`) without starting it.
    ///
    /// - Parameters:
    ///   - name: The container's name, or nil for a generated one.
    ///   - spec: What to create.
    /// - Returns: The new container's ID.
    /// - Throws: ``DockerError``; ``DockerError/Code/notFound`` when the image is missing (this client never
    ///   pulls implicitly), ``DockerError/Code/conflict`` when the name is taken.
    public func createContainer(name: String? = nil, spec: ContainerSpec) async throws(DockerError) -> String {
        struct Created: Decodable {
            var id: String
            var warnings: [String]?

            enum CodingKeys: String, CodingKey {
                case id = "Id"
                case warnings = "Warnings"
            }
        }
        let body = try encodeJSON(spec, for: "the container specification")
        let request = DockerRequest(
            method: .POST,
            path: "/containers/create",
            query: name.map { [("name", $0)] } ?? [],
            body: .json(body),
            timeout: requestTimeout
        )
        let created = try await decode(Created.self, from: send(request), request)
        for warning in created.warnings ?? [] where !warning.isEmpty {
            logger.warning("Docker engine warning on container create", metadata: ["warning": "\(warning)"])
        }
        return created.id
    }

    /// Starts a created container (`POST /containers/{id}/start`). Starting a running one is not an error.
    ///
    /// - Parameter id: The container's ID or name.
    /// - Throws: ``DockerError``; ``DockerError/Code/notFound`` when there is no such container.
    public func start(_ id: String) async throws(DockerError) {
        let request = DockerRequest(
            method: .POST,
            path: "/containers/\(DockerRequest.pathComponent(id))/start",
            timeout: requestTimeout
        )
        let response = try await send(request)
        if response.status == 304 { return }  // already started
        try ensureSuccess(response, request)
    }

    /// A container's state (`GET /containers/{id}/json`).
    ///
    /// - Parameter id: The container's ID or name.
    /// - Returns: The state, or nil when there is no such container.
    /// - Throws: ``DockerError`` when the engine cannot be reached or answers with another error.
    public func inspectContainer(_ id: String) async throws(DockerError) -> ContainerState? {
        let request = DockerRequest(
            method: .GET,
            path: "/containers/\(DockerRequest.pathComponent(id))/json",
            timeout: requestTimeout
        )
        let response = try await send(request)
        if response.status == 404 { return nil }
        return try decode(ContainerInspectResponse.self, from: response, request).state
    }

    /// Sends a signal to a container's main process (`POST /containers/{id}/kill`).
    ///
    /// - Parameters:
    ///   - id: The container's ID or name.
    ///   - signal: The signal's name (`KILL`, `TERM`, `SIGINT`) or number.
    /// - Throws: ``DockerError``; ``DockerError/Code/notFound`` when there is no such container,
    ///   ``DockerError/Code/conflict`` when it is not running.
    public func kill(_ id: String, signal: String = "KILL") async throws(DockerError) {
        let request = DockerRequest(
            method: .POST,
            path: "/containers/\(DockerRequest.pathComponent(id))/kill",
            query: [("signal", signal)],
            timeout: requestTimeout
        )
        try ensureSuccess(await send(request), request)
    }

    /// Waits until a container's main process has exited (`POST /containers/{id}/wait`).
    ///
    /// - Parameters:
    ///   - id: The container's ID or name.
    ///   - timeout: How long to wait; ``requestTimeout`` unless given.
    /// - Returns: The main process's exit code (137 after SIGKILL).
    /// - Throws: ``DockerError``; ``DockerError/Code/notFound`` when there is no such container,
    ///   ``DockerError/Code/timedOut`` when it is still running at the deadline.
    public func wait(_ id: String, timeout: Duration? = nil) async throws(DockerError) -> Int {
        struct Exit: Decodable {
            var statusCode: Int

            enum CodingKeys: String, CodingKey {
                case statusCode = "StatusCode"
            }
        }
        let request = DockerRequest(
            method: .POST,
            path: "/containers/\(DockerRequest.pathComponent(id))/wait",
            timeout: timeout ?? requestTimeout
        )
        return try await decode(Exit.self, from: send(request), request).statusCode
    }

    /// Removes a container and its anonymous volumes (`DELETE /containers/{id}?v=1`). A container that
    /// does not exist, or is already being removed, is not an error.
    ///
    /// - Parameters:
    ///   - id: The container's ID or name.
    ///   - force: Whether to kill it first if it is running.
    /// - Throws: ``DockerError``; ``DockerError/Code/conflict`` when it is running and `force` is false.
    public func remove(_ id: String, force: Bool = true) async throws(DockerError) {
        let request = DockerRequest(
            method: .DELETE,
            path: "/containers/\(DockerRequest.pathComponent(id))",
            query: [("force", force ? "1" : "0"), ("v", "1")],
            timeout: requestTimeout
        )
        let response = try await send(request)
        if response.status == 404 { return }
        if response.status == 409, Self.engineMessage(in: response.body).contains("already in progress") { return }
        try ensureSuccess(response, request)
    }

    /// The containers that carry a label (`GET /containers/json?filters={"label":["key=value"]}`).
    ///
    /// - Parameters:
    ///   - all: Whether to include containers that are not running.
    ///   - label: `key=value`, or just `key` for any value.
    /// - Returns: The matching containers.
    /// - Throws: ``DockerError`` when the engine cannot be reached or answers with an error.
    public func listContainers(all: Bool, label: String) async throws(DockerError) -> [ContainerSummary] {
        let filters = try encodeJSON(["label": [label]], for: "the label filter")
        let request = DockerRequest(
            method: .GET,
            path: "/containers/json",
            query: [("all", all ? "1" : "0"), ("filters", String(decoding: filters, as: UTF8.self))],
            timeout: requestTimeout
        )
        return try await decode([ContainerSummary].self, from: send(request), request)
    }
}
