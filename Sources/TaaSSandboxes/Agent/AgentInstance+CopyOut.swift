import Foundation
import TaaSCore

extension AgentInstance {
    /// The regular file `folder/name` inside the sandbox, copied out by the agent: no link in `name` is
    /// followed and a FIFO is never waited on (the agent opens each component with `O_NOFOLLOW`, the
    /// file with `O_NONBLOCK`, and checks it with `fstat`), and at most `limit` bytes come out.
    ///
    /// This is how the Docker sandbox reads its artifacts: the engine's archive endpoint can be made
    /// to wait for good by a step that swaps a file for a FIFO.
    /// - Returns: The contents, or `nil` when there is no such file.
    /// - Throws: ``SandboxError`` with ``SandboxError/Code/refusedArtifact`` for a link, a FIFO, another
    ///   kind of file or one over the limit; ``SandboxError/Code/broken`` when the agent is gone.
    public static func copyOut(
        _ name: String,
        from folder: String,
        limit: Int,
        through connection: AgentConnection
    ) async throws(SandboxError) -> Data? {
        let file = try makeAnswerFile(for: "the artifact \(name)")
        defer { Glibc.close(file) }
        let id = connection.makeID()
        try connection.send(.copy(id: id, folder: folder, name: name, limit: limit), passing: [file])
        switch await connection.waitForAnswer(id: id) {
        case .copied(status: "ok", _):
            return Data(readAnswer(file, limit: limit))
        case .copied(status: "missing", _):
            return nil
        case .copied(status: "too-large", let detail):
            throw SandboxError(
                .refusedArtifact,
                "case limit reached: the artifact '\(name)' was not read: it has \(detail) (taas reads at most \(limit) bytes of it)"
            )
        case .copied(_, let detail):
            throw SandboxError(
                .refusedArtifact,
                "the artifact '\(name)' was not read: it is \(detail); taas reads only regular files and never follows a link"
            )
        case .failed(let message):
            throw SandboxError(.broken, "cannot copy \(name) out of the sandbox: \(message)")
        case .exited, .probed, .fetched:
            throw SandboxError(.broken, "unexpected answer to a copy of \(name)")
        }
    }
}
