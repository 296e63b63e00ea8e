import Foundation
import TaaSCore

extension AgentInstance {
    /// How often a partial answer is checked for completeness while the server keeps its connection open.
    static let answerCheckInterval: Duration = .milliseconds(20)

    public func exchange(_ exchange: LoopbackExchange) async throws(SandboxError) -> LoopbackExchangeResult {
        let file = try Self.makeAnswerFile(for: "an HTTP answer")
        defer { Glibc.close(file) }
        let id = connection.makeID()
        let clock = ContinuousClock()
        let started = clock.now
        try connection.send(.fetch(id: id, exchange: exchange), passing: [file])
        let connection = self.connection
        let limit = exchange.maximumResponseBytes
        let (event, endedComplete) = await withTaskCancellationHandler {
            // Children: the agent's answer, and (when the caller can tell) a check of the answer so far.
            await withTaskGroup(of: (event: AgentConnection.Event?, complete: Bool).self) { group in
                group.addTask { (await connection.waitForAnswer(id: id), false) }
                if let isComplete = exchange.isComplete {
                    // A server that keeps the connection open after a complete answer (despite
                    // `Connection: close`) would otherwise hold the exchange until its timeout.
                    group.addTask {
                        while (try? await Task.sleep(for: Self.answerCheckInterval)) != nil {
                            if isComplete(Self.readAnswer(file, limit: limit)) {
                                try? connection.send(AgentMessage(["KILL", id]))
                                return (nil, true)
                            }
                        }
                        return (nil, false)
                    }
                }
                var answer: AgentConnection.Event = .failed("no answer")
                var complete = false
                for await result in group {
                    complete = complete || result.complete
                    if let event = result.event {
                        answer = event
                        group.cancelAll()
                    }
                }
                return (answer, complete)
            }
        } onCancel: {
            try? connection.send(AgentMessage(["KILL", id]))
        }
        switch event {
        case .fetched(let status, let elapsed, let detail):
            return LoopbackExchangeResult(
                response: Self.readAnswer(file, limit: limit),
                elapsed: .milliseconds(elapsed),
                truncated: status == "truncated",
                failure: status == "fail" ? (detail.isEmpty ? "the exchange failed" : detail) : nil
            )
        case .exited where endedComplete:
            return LoopbackExchangeResult(
                response: Self.readAnswer(file, limit: limit),
                elapsed: clock.now - started,
                truncated: false,
                failure: nil
            )
        case .exited:
            return LoopbackExchangeResult(response: [], elapsed: .zero, truncated: false, failure: "stopped")
        case .failed(let message):
            throw SandboxError(.broken, message)
        case .probed, .copied:
            throw SandboxError(.broken, "unexpected answer to a request")
        }
    }

    /// An unlinked temporary file for the agent to write an answer into: no reader has to keep up
    /// with the agent. The agent shares the file's offset, so the harness only ever reads it with pread.
    static func makeAnswerFile(for purpose: String) throws(SandboxError) -> Int32 {
        var template = Array((FileManager.default.temporaryDirectory.path + "/taas-answer-XXXXXX").utf8CString)
        let file = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard file >= 0 else {
            throw SandboxError(
                .broken,
                "cannot make a temporary file for \(purpose): \(String(cString: strerror(errno)))"
            )
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return file
    }

    /// What the agent has written into the answer file so far (at most `limit` bytes).
    static func readAnswer(_ file: Int32, limit: Int) -> [UInt8] {
        var response: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while response.count < limit {
            let count = chunk.withUnsafeMutableBytes { pread(file, $0.baseAddress, $0.count, off_t(response.count)) }
            if count < 0, errno == EINTR { continue }
            if count <= 0 { break }
            response += chunk[0..<count]
        }
        return Array(response.prefix(limit))
    }
}
