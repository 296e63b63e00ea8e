import Foundation
import TaaSCore
import TaaSEngine
import TaaSReporting
import TaaSSandboxes
import TaaSTelemetry
import TaaSTesting
import Testing

/// A temporary workspace whose scope runs through the real harness and a real sandbox, with the
/// telemetry that `taas run` uses.
struct TelemetryFixture {
    let root: URL
    let workspace: URL
    let output: URL

    init(files: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("taas-telemetry-\(UUID().uuidString)")
        workspace = root.appendingPathComponent("workspace")
        output = root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        for (path, content) in files {
            let url = workspace.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try content.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    /// A copy of examples/pilot-api as the workspace.
    static func pilot() throws -> TelemetryFixture {
        let fixture = try TelemetryFixture()
        try FileManager.default.removeItem(at: fixture.workspace)
        try FileManager.default.copyItem(
            at: TestTools.repositoryRoot.appendingPathComponent("examples/pilot-api"),
            to: fixture.workspace
        )
        return fixture
    }

    /// Runs `json` (or the workspace's scope.json) in `sandbox`, with `environment` as the `OTEL_*` variables.
    func run(
        _ json: String? = nil,
        sandbox: any Sandbox = JailSandbox(),
        environment: [String: String] = [:],
        endpoint: String? = nil,
        configure: (inout RunOptions) -> Void = { _ in }
    ) async throws -> TaaSReport {
        let data = try json.map { Data($0.utf8) } ?? Data(contentsOf: workspace.appendingPathComponent("scope.json"))
        let scope = try TestScope.parse(data).scope
        var options = RunOptions(
            workspace: workspace,
            outputDirectory: output,
            sandbox: sandbox,
            cacheDirectory: Self.cacheDirectory,
            reportFormats: [.json],
            allowUnsafeLocal: true
        )
        options.offline = true
        options.trace = TraceContext.joining(environment)
        let configuration = Result { () throws(TelemetryConfigurationError) in
            try TelemetryConfiguration.resolve(environment: environment, endpoint: endpoint, version: Harness.version)
        }
        options.telemetry = TraceRecorder(configuration: configuration, version: Harness.version)
        configure(&options)
        return await Harness(options: options).execute(scope)
    }

    /// The run's `trace.json`.
    func trace() throws -> OTLPTraceDocument {
        let file = output.appendingPathComponent(TraceRecorder.fileName)
        return try OTLPTraceDocument.read(from: Data(contentsOf: file), file: file.path)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// The cache the other suites use (virtualenvs are slow to make).
    static var cacheDirectory: URL {
        if let explicit = ProcessInfo.processInfo.environment["TAAS_CACHE_DIR"] {
            return URL(fileURLWithPath: explicit)
        }
        return getuid() == 0
            ? URL(fileURLWithPath: "/var/cache/maestro-taas")
            : FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/maestro-taas")
    }
}

extension OTLPTraceDocument {
    /// The span named `name`; throws (failing the test) when there is none.
    func span(named name: String) throws -> JSONSpan {
        guard let span = spans.first(where: { $0.name == name }) else {
            throw TraceFileError(file: "trace.json", message: "no span \(name) in \(spans.map(\.name))")
        }
        return span
    }

    /// The span with `id`, if any.
    func span(id: String) -> JSONSpan? { spans.first { $0.spanId == id } }
}

/// Whether the Docker engine's socket accepts connections.
enum DockerEngine {
    static var answers: Bool {
        let path =
            (ProcessInfo.processInfo.environment["DOCKER_HOST"].flatMap {
                $0.hasPrefix("unix://") ? String($0.dropFirst(7)) : nil
            }) ?? "/var/run/docker.sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            path.utf8CString.withUnsafeBytes {
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(buffer.count - 1)))
            }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        } == 0
    }
}
