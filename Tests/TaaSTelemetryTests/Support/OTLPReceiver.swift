import Foundation
import TaaSTesting
import Testing

/// The Python OTLP receiver of `Receiver/otlp_receiver.py` on a loopback port: it decodes each
/// export (protobuf with opentelemetry-proto, or JSON) and logs it as one JSON line.
final class OTLPReceiver {
    enum Mode: String { case ok, fail, slow }

    /// One request the receiver got.
    struct Request: Decodable {
        var path: String
        var contentType: String
        var headers: [String: String]
        var spans: [ReceivedSpan]?
        var decodeError: String?

        enum CodingKeys: String, CodingKey {
            case path, headers, spans
            case contentType = "content_type"
            case decodeError = "decode_error"
        }
    }

    struct ReceivedSpan: Decodable {
        var traceId: String
        var spanId: String
        var parentSpanId: String
        var name: String
        var kind: Int
        var status: Status
        var attributes: [String: Value]
        var events: [Event]
        var resource: [String: Value]
        var scope: String

        struct Status: Decodable {
            var code: Int
            var message: String
        }

        struct Event: Decodable {
            var name: String
            var attributes: [String: Value]
        }
    }

    enum Value: Decodable, Equatable {
        case string(String)
        case int(Int)
        case bool(Bool)
        case double(Double)
        case null

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
            } else if let number = try? container.decode(Int.self) {
                self = .int(number)
            } else if let number = try? container.decode(Double.self) {
                self = .double(number)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }

    let process = Process()
    let log: URL
    /// What the receiver printed on stderr (never the test's own stderr: `swift test` waits for
    /// every writer of that pipe to close it).
    let errors: URL
    let port: Int

    /// Starts the receiver; throws when the tools' Python (scripts/test-tools) is missing.
    init(mode: Mode = .ok) throws {
        let python = try #require(TestTools.python, "run scripts/test-tools: the receiver needs opentelemetry-proto")
        let name = "otlp-\(UUID().uuidString)"
        log = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).jsonl")
        errors = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).stderr")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.executableURL = python
        process.arguments = [
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Receiver/otlp_receiver.py").path,
            log.path, mode.rawValue,
        ]
        let out = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            Self.stop(process)
            let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw ReceiverError(description: "the receiver printed \(text.debugDescription); its stderr: \(stderr)")
        }
        self.port = port
    }

    struct ReceiverError: Error, CustomStringConvertible { var description: String }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// The requests received so far.
    func requests() throws -> [Request] {
        let text = try String(contentsOf: log, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }

    deinit {
        Self.stop(process)
        try? FileManager.default.removeItem(at: log)
        try? FileManager.default.removeItem(at: errors)
    }

    /// SIGKILL: a process started with Foundation's `Process` from a test thread inherits that
    /// thread's blocked signals, SIGTERM among them, so SIGTERM would never end it.
    private static func stop(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// A loopback port that nothing listens on.
func deadPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
