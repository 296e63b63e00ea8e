import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// What a worker sends to register (`POST /v1/workers`).
public struct WorkerRegistration: Codable, Sendable {
    public var name: String
    public var slots: Int
    public var labels: [String: String]

    public init(name: String, slots: Int, labels: [String: String]) {
        self.name = name
        self.slots = slots
        self.labels = labels
    }

    /// Reads and checks a registration body; 400 or 422 naming what is wrong.
    static func decode(_ request: Request, limit: Int) async throws -> WorkerRegistration {
        let registration: WorkerRegistration = try await JSONBody.decode(
            request,
            limit: limit,
            what: "the registration"
        )
        guard !registration.name.isEmpty, registration.name.count <= 200 else {
            throw APIError(.unprocessableContent, "name: expected 1 to 200 characters")
        }
        guard (1...256).contains(registration.slots) else {
            throw APIError(.unprocessableContent, "slots: expected 1 to 256, got \(registration.slots)")
        }
        return registration
    }
}

/// The coordinator's answer to a registration.
public struct RegisteredWorker: Codable, Sendable {
    public var workerID: String
    /// A claimed run is taken back when no heartbeat renewed its lease for this long.
    public var leaseSeconds: Int
    /// How often the worker should send its heartbeat.
    public var heartbeatSeconds: Double

    enum CodingKeys: String, CodingKey {
        case workerID = "worker_id"
        case leaseSeconds = "lease_seconds"
        case heartbeatSeconds = "heartbeat_seconds"
    }
}

/// A worker's heartbeat: the runs it holds, each at the attempt it claimed.
public struct Heartbeat: Codable, Sendable {
    public var runs: [LeaseTicket]

    public init(runs: [LeaseTicket]) { self.runs = runs }

    static func decode(_ request: Request, limit: Int) async throws -> Heartbeat {
        try await JSONBody.decode(request, limit: limit, what: "the heartbeat")
    }
}

/// A claimed run as the worker gets it: what to download and how to run it.
public struct ClaimedRun: Codable, Sendable {
    public var runID: String
    public var scopeID: String
    /// The attempt number: the lease's fencing token, sent back with the events and the result.
    public var fence: Int
    public var sandbox: String?
    public var jobs: Int
    public var leaseSeconds: Int

    init(_ run: FabricRun, leaseSeconds: Int) {
        runID = run.id
        scopeID = run.scopeID
        fence = run.starts
        sandbox = run.sandbox
        jobs = run.jobs
        self.leaseSeconds = leaseSeconds
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case scopeID = "scope_id"
        case fence, sandbox, jobs
        case leaseSeconds = "lease_seconds"
    }

    /// The run as the worker's engine needs it.
    var run: FabricRun {
        var run = FabricRun(id: runID, scopeID: scopeID, status: .running, sandbox: sandbox, jobs: jobs)
        run.starts = fence
        return run
    }
}

/// A JSON request body, decoded with a size limit; 400 naming what could not be read.
enum JSONBody {
    static func decode<Value: Decodable>(_ request: Request, limit: Int, what: String) async throws -> Value {
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: limit) } catch {
            throw APIError(.contentTooLarge, "\(what) is larger than \(limit) bytes")
        }
        do { return try JSONDecoder().decode(Value.self, from: Data(buffer: body)) } catch {
            throw APIError(.badRequest, "\(what) is not the JSON expected: \(error)")
        }
    }
}
