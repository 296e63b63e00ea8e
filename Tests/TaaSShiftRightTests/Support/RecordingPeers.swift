import Foundation
import TaaSTesting

/// The sample service of the Shift Right tests (`Fixtures/shop/shop.py`), run on a loopback port.
enum Shop {
    /// The service's source file in the repository.
    static let script = TestTools.repositoryRoot.appendingPathComponent(
        "Tests/TaaSShiftRightTests/Fixtures/shop/shop.py"
    )

    /// Starts the shop with `build` (`good`, `broken`, `changed`) on `port`, its output in the folder.
    static func start(port: Int, build: String, in folder: TestFolder) async throws -> OwnedProcess {
        let shop = try OwnedProcess(
            "/usr/bin/python3",
            [script.path, String(port), "--build", build],
            log: folder.url.appendingPathComponent("shop-\(port).log")
        )
        guard await LoopbackPort.waitUntilOpen(port, within: 20) else {
            shop.kill()
            throw PeerError("shop.py did not listen on \(port): \(shop.output)")
        }
        return shop
    }
}

/// Debian's nginx as a reverse proxy in front of a loopback port, writing a combined access log.
/// It runs in the foreground as one process (`master_process off`), so SIGKILL ends all of it.
enum Nginx {
    static let executable = "/usr/sbin/nginx"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    /// Starts nginx on a free port in front of `upstream`; returns the process, its port and the access log.
    static func start(
        upstream: Int,
        in folder: TestFolder
    ) async throws -> (process: OwnedProcess, port: Int, accessLog: String) {
        let port = try LoopbackPort.free()
        let root = folder.url.appendingPathComponent("nginx")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let path = root.path
        let configuration = """
            \(getuid() == 0 ? "user root;" : "")
            worker_processes 1;
            daemon off;
            master_process off;
            pid \(path)/nginx.pid;
            error_log \(path)/error.log;
            events { worker_connections 64; }
            http {
                access_log \(path)/access.log combined;
                client_body_temp_path \(path)/body;
                proxy_temp_path \(path)/proxy;
                fastcgi_temp_path \(path)/fastcgi;
                uwsgi_temp_path \(path)/uwsgi;
                scgi_temp_path \(path)/scgi;
                server {
                    listen 127.0.0.1:\(port);
                    location / {
                        proxy_pass http://127.0.0.1:\(upstream);
                        proxy_http_version 1.1;
                    }
                }
            }
            """
        try configuration.write(toFile: "\(path)/nginx.conf", atomically: true, encoding: .utf8)
        let nginx = try OwnedProcess(
            executable,
            ["-c", "\(path)/nginx.conf", "-p", path, "-e", "\(path)/error.log"],
            log: root.appendingPathComponent("nginx.out")
        )
        guard await LoopbackPort.waitUntilOpen(port, within: 20) else {
            nginx.kill()
            let errors = (try? String(contentsOfFile: "\(path)/error.log", encoding: .utf8)) ?? ""
            throw PeerError("nginx did not listen on \(port): \(nginx.output) \(errors)")
        }
        return (nginx, port, "\(path)/access.log")
    }
}

/// Requests sent with curl, as a client in production would.
enum Curl {
    /// Sends a request and returns the answer's status (0 when none came).
    @discardableResult
    static func send(
        _ url: String,
        method: String = "GET",
        headers: [String] = [],
        body: String? = nil,
        in folder: TestFolder
    ) throws -> Int {
        var arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", "-X", method]
        for header in headers { arguments += ["-H", header] }
        if let body { arguments += ["--data-binary", body] }
        arguments.append(url)
        let result = try OwnedProcess.run(
            "/usr/bin/curl",
            arguments,
            log: folder.url.appendingPathComponent("curl-\(UUID().uuidString).log")
        )
        return Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}

/// A test peer that did not come up.
struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
