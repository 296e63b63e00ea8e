import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A client of a Fabric's API (`taas run --server`, `taas runs`): submits runs, follows their
/// events, and fetches their report files.
public struct FabricClient: Sendable {
    /// The server's base URL, such as `http://127.0.0.1:8470`.
    public var server: String
    /// The bearer token, when the server has tokens.
    public var token: String?

    public init(server: String, token: String? = nil) {
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.token = token
    }

    /// An answer that was not a success.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var status: Int
        public var message: String
        public var description: String { "the server answered \(status): \(message)" }
    }

    /// Sends a request and collects the answer; a status of 400 or more is a ``Failure`` carrying
    /// the server's message.
    public func send(
        _ method: HTTPMethod,
        _ path: String,
        contentType: String? = nil,
        body: Data? = nil,
        maxBytes: Int = 256 << 20
    ) async throws -> Data {
        var request = HTTPClientRequest(url: server + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .hours(24))
        let data = Data(buffer: try await response.body.collect(upTo: maxBytes))
        guard response.status.code < 400 else {
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            var message = object?["error"] as? String ?? String(decoding: data.prefix(500), as: UTF8.self)
            for problem in object?["problems"] as? [[String: Any]] ?? [] {
                message += "\n  \(problem["path"] ?? ""): \(problem["message"] ?? "")"
            }
            throw Failure(status: Int(response.status.code), message: message)
        }
        return data
    }

    /// Cancels a queued or running run (`DELETE /v1/runs/{id}`); its teardown still runs on the server.
    public func cancel(_ runID: String) async throws {
        _ = try await send(.DELETE, "/v1/runs/\(runID)")
    }

    /// GETs `path` (see ``send(_:_:contentType:body:maxBytes:)``).
    public func get(_ path: String) async throws -> Data {
        try await send(.GET, path)
    }

    /// The body of `GET /v1/runs` (`{"runs": [...], "next_cursor": ...}`, newest first) for these filters.
    public func runs(scopeID: String? = nil, verdict: String? = nil, limit: Int = 20) async throws -> Data {
        var query = URLComponents()
        query.path = "/v1/runs"
        query.queryItems = [URLQueryItem(name: "limit", value: String(limit))]
        if let scopeID { query.queryItems?.append(URLQueryItem(name: "scope_id", value: scopeID)) }
        if let verdict { query.queryItems?.append(URLQueryItem(name: "verdict", value: verdict)) }
        return try await get(query.string ?? "/v1/runs")
    }

    /// Submits a run; returns its id, and the server's warning when no connected worker can run it
    /// yet. `requires`: `k=v,k=v`, the labels its worker must have.
    public func submit(
        scope: Data,
        workspaceArchive: Data,
        sandbox: String? = nil,
        jobs: Int = 1,
        labels: [String: String] = [:],
        requires: String = ""
    ) async throws -> (runID: String, warning: String?) {
        let boundary = "taas-\(UUID().uuidString)"
        var body = Data()
        func field(_ name: String, _ value: Data, filename: String? = nil) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"".utf8))
            if let filename { body.append(Data("; filename=\"\(filename)\"".utf8)) }
            body.append(Data("\r\n\r\n".utf8) + value + Data("\r\n".utf8))
        }
        field("scope", scope, filename: "scope.json")
        field("workspace", workspaceArchive, filename: "workspace.tar.gz")
        if let sandbox { field("sandbox", Data(sandbox.utf8)) }
        field("jobs", Data(String(jobs).utf8))
        if !labels.isEmpty { field("labels", try JSONSerialization.data(withJSONObject: labels)) }
        if !requires.isEmpty { field("requires", Data(requires.utf8)) }
        body.append(Data("--\(boundary)--\r\n".utf8))
        let answer = try await send(
            .POST,
            "/v1/runs",
            contentType: "multipart/form-data; boundary=\(boundary)",
            body: body
        )
        guard let object = try JSONSerialization.jsonObject(with: answer) as? [String: Any],
            let id = object["run_id"] as? String
        else { throw Failure(status: 202, message: "no run_id in the answer") }
        return (id, object["warning"] as? String)
    }

    /// Calls `onEvent` with each event object of the run (past ones first) until the run finishes.
    public func followEvents(of runID: String, onEvent: @Sendable ([String: Any]) -> Void) async throws {
        var request = HTTPClientRequest(url: server + "/v1/runs/\(runID)/events")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .hours(24))
        guard response.status.code < 400 else {
            throw Failure(status: Int(response.status.code), message: "cannot follow the events of \(runID)")
        }
        var pending = Data()
        for try await buffer in response.body {
            pending.append(contentsOf: buffer.readableBytesView)
            while let end = pending.range(of: Data("\n\n".utf8)) {
                let block = String(decoding: pending[pending.startIndex..<end.lowerBound], as: UTF8.self)
                pending.removeSubrange(pending.startIndex..<end.upperBound)
                for line in block.split(separator: "\n") where line.hasPrefix("data: ") {
                    if let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8))
                        as? [String: Any]
                    {
                        onEvent(object)
                    }
                }
            }
        }
    }

    /// A workspace folder as a `.tar.gz`: the files git tracks or would track (honouring `.gitignore`)
    /// when the folder is in a git work tree, else every file; `exclude` paths (relative) left out.
    public static func archive(workspace: URL, exclude: [String] = []) throws -> Data {
        let list = FileManager.default.temporaryDirectory.appendingPathComponent("taas-files-\(UUID().uuidString)")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("taas-ws-\(UUID().uuidString).tar.gz")
        defer {
            try? FileManager.default.removeItem(at: list)
            try? FileManager.default.removeItem(at: out)
        }
        var arguments = ["-czf", out.path, "-C", workspace.path]
        if let files = try? run(
            "/usr/bin/git",
            ["-C", workspace.path, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
        ),
            !files.isEmpty
        {
            let kept = files.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                .filter { path in !exclude.contains { path == $0 || path.hasPrefix($0 + "/") } }
                .filter { FileManager.default.fileExists(atPath: workspace.appendingPathComponent($0).path) }
            try Data(kept.joined(separator: "\0").utf8).write(to: list)
            arguments += ["--null", "-T", list.path]
        } else {
            arguments += exclude.flatMap { ["--exclude", "./" + $0] } + ["."]
        }
        _ = try run("/usr/bin/tar", arguments)
        return try Data(contentsOf: out)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(status: 0, message: "\(executable) exited with \(process.terminationStatus)")
        }
        return data
    }
}
