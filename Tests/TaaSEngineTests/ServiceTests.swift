import Foundation
import TaaSCore
import TaaSEngine
import Testing

/// Services started after setup, probed from inside the sandbox, stopped before teardown.
@Suite(.serialized) struct ServiceTests {
    static let server = """
        import http.server, sys
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200 if self.path == "/health" else 404); self.end_headers(); self.wfile.write(b"ok")
            def log_message(self, *a): pass
        print("starting", flush=True)
        http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
        """

    @Test(arguments: [
        #"{"http": "http://127.0.0.1:3000/health", "timeout_seconds": 10}"#,
        #"{"tcp": 3000, "timeout_seconds": 10}"#,
        #"{"log": "^start(ing|ed)$", "timeout_seconds": 10}"#,
    ])
    func serviceBecomesReadyAndScenariosReachItOnLoopback(ready: String) async throws {
        let fixture = try RunFixture(files: ["server.py": Self.server])
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "svc", "services": [{"name": "web", "command": "python3 server.py 3000", "ready": \(ready)}],
             "lifecycle": {"teardown": ["! python3 -c 'import socket; socket.create_connection((\\"127.0.0.1\\", 3000), 1)'"]},
             "scenarios": [{"id": "S1", "command": "python3 -c 'import urllib.request as u; assert u.urlopen(\\"http://localhost:3000/health\\").status == 200'",
               "retry_policy": {"attempts": 3, "delay_seconds": 0.2, "backoff": "fixed"}}]}
            """
        )
        #expect(report.services.first?.ready == true)
        #expect(report.services.first?.readyAfterMS != nil)
        #expect(report.scenarios[0].verdict == .pass)
        #expect(report.teardown.first?.exitCode == 0, "the service was still listening during teardown")
        #expect(report.verdict == .pass)
    }

    @Test func serviceThatNeverGetsReadySkipsScenariosWithAnError() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "svc", "services": [{"name": "mute", "command": "sleep 60", "ready": {"tcp": 3999, "timeout_seconds": 0.5}}],
             "lifecycle": {"teardown": ["echo torn"]},
             "scenarios": [{"id": "S1", "command": "true"}]}
            """
        )
        #expect(report.verdict == .error)
        #expect(report.services.first?.ready == false)
        #expect(report.services.first?.message?.contains("not ready after") == true)
        #expect(report.scenarios[0].verdict == .skipped)
        #expect(report.teardown.first?.output.stdoutTail == "torn\n")
    }

    @Test func serviceThatExitsEarlyIsReportedWithItsExit() async throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "svc", "services": [{"name": "crash", "command": "echo boom >&2; exit 3", "ready": {"tcp": 3999}}],
             "scenarios": [{"id": "S1", "command": "true"}]}
            """
        )
        #expect(report.verdict == .error)
        #expect(report.services.first?.message?.contains("exit code 3") == true)
        #expect(report.services.first?.output.stderrTail == "boom\n")
    }

    @Test func jailLoopbackIsItsOwn() async throws {
        // A listener on the host's loopback cannot be reached from inside the jail.
        let listener = HostListener()
        let port = listener.port
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let report = try await fixture.run(
            """
            {"scope_id": "net", "scenarios": [
              {"id": "host-listener", "command": "python3 -c 'import socket; socket.create_connection((\\"127.0.0.1\\", \(port)), 1)'"},
              {"id": "interfaces", "command": "python3 -c 'import socket; names = [n for _, n in socket.if_nameindex()]; assert names == [\\"lo\\"], names' && test $(wc -l < /proc/net/route) -le 1"}]}
            """
        )
        #expect(report.scenarios[0].verdict == .fail, "the jail reached a listener on the host's loopback")
        withExtendedLifetime(listener) {}
        #expect(report.scenarios[1].verdict == .pass, "the jail has an interface other than lo, or a route")
    }
}
