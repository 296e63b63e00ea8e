import Foundation
import NIOHTTP1
import Testing

/// Malformed multipart bodies are refused with 400 and never end the server.
@Suite(.serialized) struct HostileFormTests {
    /// A part whose header name has a byte that is not ASCII (schemathesis found that MultipartKit's
    /// parser traps on it: one such request used to end `taas serve`).
    @Test(arguments: [
        Data("--B\r\nC\u{e9}ntent-Disposition: form-data; name=\"scope\"\r\n\r\n{}\r\n--B--\r\n".utf8),
        Data([
            0x2D, 0x2D, 0x42, 0x0D, 0x0A, 0xFF, 0x3A, 0x20, 0x78, 0x0D, 0x0A, 0x0D, 0x0A, 0x2D, 0x2D, 0x42, 0x2D, 0x2D,
        ]),
        Data("--B\r\nContent-Disposition: form-data; name=\"scope\"\r\n\u{fc}: x\r\n\r\n{}\r\n--B--\r\n".utf8),
    ])
    func aHeaderNameThatIsNotASCIIIsRefused(body: Data) async throws {
        try await LiveFabric.with { live in
            let answer = try await LiveFabric.request(
                port: live.port,
                .POST,
                "/v1/runs",
                contentType: "multipart/form-data; boundary=B",
                body: body
            )
            #expect(answer.status == 400, "\(answer.text)")
            #expect(answer.text.contains("not ASCII"), "\(answer.text)")
            #expect(try await live.request(.GET, "/v1/health").status == 200)
        }
    }

    @Test func aFilenameThatIsNotASCIIIsStillAccepted() async throws {
        try await LiveFabric.with { live in
            let workspace = try Scopes.workspace()
            var body = Data("--B\r\nContent-Disposition: form-data; name=\"scope\"\r\n\r\n".utf8)
            body.append(Data(Scopes.passing.utf8))
            body.append(
                Data(
                    "\r\n--B\r\nContent-Disposition: form-data; name=\"workspace\"; filename=\"d\u{e9}p\u{f4}t.tar.gz\"\r\n\r\n"
                        .utf8
                )
            )
            body.append(workspace)
            body.append(Data("\r\n--B--\r\n".utf8))
            let answer = try await LiveFabric.request(
                port: live.port,
                .POST,
                "/v1/runs",
                contentType: "multipart/form-data; boundary=B",
                body: body
            )
            #expect(answer.status == 202, "\(answer.text)")
        }
    }
}
