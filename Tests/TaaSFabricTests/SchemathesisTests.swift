import Foundation
import TaaSTesting
import Testing

/// schemathesis (PyPI) generates requests for every operation of the real `taas serve`'s
/// `/v1/openapi.json`, with an admin token, and checks that none is answered with a 5xx.
@Suite(.serialized) struct SchemathesisTests {
    @Test func noGeneratedRequestGetsAServerError() async throws {
        guard let python = TestTools.python else {
            Issue.record("scripts/test-tools has not been run: schemathesis is missing")
            return
        }
        let schemathesis = python.deletingLastPathComponent().appendingPathComponent("schemathesis")
        try #require(
            FileManager.default.isExecutableFile(atPath: schemathesis.path),
            "run scripts/test-tools: schemathesis is in scripts/test-requirements.txt"
        )
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taas-st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data")
        let created = try Program.run(
            ServerProcess.taasBinary,
            ["token", "create", "--name", "fuzz", "--role", "admin", "--data", data.path]
        )
        let token = try #require(created.output.split(separator: "\n").last.map(String.init), "\(created.output)")
        let server = try ServerProcess(data: data)
        // A fixed seed: the same requests each run, so a failure can be replayed.
        let fuzz = try Program.run(
            schemathesis,
            [
                "run", "http://127.0.0.1:\(server.port)/v1/openapi.json", "-H", "Authorization: Bearer \(token)",
                "--checks", "not_a_server_error", "--max-examples", "20", "--seed", "1", "--no-color",
            ],
            in: folder  // its cache (.schemathesis/) goes there, not into the checkout
        )
        #expect(server.terminate() == 0, "\(server.printed)")
        #expect(fuzz.status == 0, "\(fuzz.output.suffix(4000))")
        #expect(fuzz.output.contains(" passed"), "\(fuzz.output.suffix(2000))")
        #expect(!server.printed.contains("Fatal error"), "\(server.printed)")
    }
}
