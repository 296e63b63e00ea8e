import Foundation
import TaaSCore
import TaaSDocker
import TaaSEngine
import TaaSSandboxes
import Testing

/// HTTP checks made from inside the real sandbox (jail, and Docker when an engine answers) against a
/// small Python service on the sandbox's loopback; the sandbox needs no curl.
@Suite(.serialized) struct HTTPCheckTests {
    static let server = """
        import http.server, json, sys
        class H(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def answer(self, status, value, chunked=False):
                body = json.dumps(value).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked"); self.end_headers()
                    for part in (body[:5], body[5:]):
                        self.wfile.write(b"%x\\r\\n%s\\r\\n" % (len(part), part))
                    self.wfile.write(b"0\\r\\n\\r\\n")
                else:
                    self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
            def do_GET(self):
                if self.path == "/health":
                    self.answer(200, {"status": "ok", "items": [1, 2, 3]}, chunked=True)
                elif self.path == "/me":
                    if self.headers.get("Authorization") == "Bearer t-42":
                        self.answer(200, {"user": "ada", "roles": ["admin"]})
                    else:
                        self.answer(401, {"error": "no token"})
                else:
                    self.answer(404, {"error": "not found"})
            def do_POST(self):
                data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                self.answer(201 if data.get("user") == "ada" else 403, {"token": "t-42", "user": data.get("user")})
            def log_message(self, *a): pass
        http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
        """

    static let scope = """
        {"scope_id": "http", "environment": {"type": "docker"},
         "services": [{"name": "api", "command": "python3 server.py 8040", "ready": {"tcp": 8040, "timeout_seconds": 20}}],
         "scenarios": [
           {"id": "HEALTH", "http": {"url": "http://127.0.0.1:8040/health",
              "expect": {"status": 200, "headers": {"content-type": {"contains": "json"}},
                         "json": {"$.status": "ok", "$.items[-1]": 3, "$.items": {"contains": 2}}, "max_ms": 5000}}},
           {"id": "LOGIN-FLOW", "http": [
              {"method": "POST", "url": "http://localhost:8040/login", "json": {"user": "ada"},
               "expect": {"status": 201, "json": {"$.token": {"matches": "^t-[0-9]+$"}}}, "capture": {"token": "$.token"}},
              {"url": "http://localhost:8040/me", "headers": {"Authorization": "Bearer {{token}}"},
               "expect": {"json": {"$.user": "ada", "$.roles[0]": "admin"}}}]},
           {"id": "WRONG", "http": [
              {"url": "http://127.0.0.1:8040/me", "expect": {"status": 200, "json": {"$.user": "ada", "$.error": {"exists": false}}, "body_contains": "ada"}},
              {"url": "http://127.0.0.1:8040/health"}]},
           {"id": "CLOSED", "http": {"url": "http://127.0.0.1:8041/"}}]}
        """

    private func check(_ report: TaaSReport) {
        let byID = Dictionary(uniqueKeysWithValues: report.scenarios.map { ($0.id, $0) })
        #expect(report.services.first?.ready == true, "\(report.services)")
        #expect(byID["HEALTH"]?.verdict == .pass, "\(byID["HEALTH"]?.message ?? "")")
        #expect(byID["LOGIN-FLOW"]?.verdict == .pass, "\(byID["LOGIN-FLOW"]?.message ?? "")")
        #expect(byID["LOGIN-FLOW"]?.cases.map(\.verdict) == [.pass, .pass])
        let transcript = byID["LOGIN-FLOW"]?.attempts.first?.output.stdoutTail ?? ""
        #expect(transcript.contains("→ POST http://localhost:8040/login\n← 201 Created"), "\(transcript)")
        #expect(transcript.contains("→ GET http://localhost:8040/me\n← 200 OK"), "\(transcript)")
        let wrong = byID["WRONG"]
        #expect(wrong?.verdict == .fail)
        #expect(wrong?.cases.map(\.verdict) == [.fail, .skipped])
        let message = wrong?.cases.first?.message ?? ""
        #expect(message.contains("status: expected 200, got 401"), "\(message)")
        #expect(message.contains("json $.user: expected \"ada\", got nothing (absent)"), "\(message)")
        #expect(message.contains("json $.error: expected no value, got \"no token\""), "\(message)")
        #expect(message.contains("body: expected it to contain \"ada\""), "\(message)")
        #expect(wrong?.message?.contains("request 1 (GET http://127.0.0.1:8040/me)") == true, "\(wrong?.message ?? "")")
        #expect(byID["CLOSED"]?.verdict == .fail)
        #expect(byID["CLOSED"]?.message?.contains("refused") == true, "\(byID["CLOSED"]?.message ?? "")")
        #expect(report.verdict == .fail)
    }

    @Test func checksRunInsideTheJail() async throws {
        let fixture = try RunFixture(files: ["server.py": Self.server])
        defer { fixture.remove() }
        check(try await fixture.run(Self.scope))
    }

    /// Answers with a Content-Length and then keeps the connection open, ignoring `Connection: close`.
    static let lingeringServer = """
        import socket, sys, time
        listener = socket.socket(); listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", int(sys.argv[1]))); listener.listen(8)
        kept = []
        while True:
            connection, _ = listener.accept()
            request = b""
            while b"\\r\\n\\r\\n" not in request:
                received = connection.recv(4096)
                if not received:
                    break
                request += received
            if not request:
                connection.close()
                continue
            connection.sendall(b'HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\nContent-Length: 10\\r\\n\\r\\n{"ok": 1}\\n')
            kept.append(connection)
        """

    @Test func aServerThatKeepsTheConnectionOpenDoesNotHoldTheCheck() async throws {
        let fixture = try RunFixture(files: ["linger.py": Self.lingeringServer])
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "linger", "services": [{"name": "linger", "command": "python3 linger.py 8050", "ready": {"tcp": 8050}}],
             "scenarios": [{"id": "KEEP", "timeout_seconds": 20,
               "http": [{"url": "http://127.0.0.1:8050/a", "expect": {"json": {"$.ok": 1}}}, {"url": "http://127.0.0.1:8050/b"}]}]}
            """
        )
        #expect(report.scenarios[0].verdict == .pass, "\(report.scenarios[0].message ?? "")")
        #expect(report.scenarios[0].cases.map(\.verdict) == [.pass, .pass])
    }

    @Test(.enabled(if: DockerAvailability.engineAnswers, "no Docker engine answers (scripts/docker-engine start)"))
    func checksRunInsideADockerContainer() async throws {
        let fixture = try RunFixture(files: ["server.py": Self.server])
        defer { fixture.remove() }
        let report = try await fixture.run(
            Self.scope,
            sandbox: DockerSandbox(),
            limits: ResourceLimits(memoryMB: 256, pids: 64, cpus: 1)
        )
        #expect(report.sandbox.kind == "docker")
        check(report)
    }
}
