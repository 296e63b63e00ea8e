import Foundation

/// Reads the newline-separated JSON messages that `POST /images/create` streams back (pull and
/// import progress) and remembers the first error. The engine reports failures there even after
/// answering 200.
struct DockerProgressStream {
    /// One progress message; only the fields this client looks at.
    struct Message: Decodable {
        struct ErrorDetail: Decodable {
            var message: String?
        }

        var status: String?
        var error: String?
        var errorDetail: ErrorDetail?
    }

    private var pending = Data()
    /// The first error the engine reported, if any.
    private(set) var error: String?
    /// The last status line, such as `sha256:…` after an import or `Status: Downloaded newer image`.
    private(set) var lastStatus: String?

    /// Feeds the next bytes of the stream.
    mutating func consume(_ bytes: some Sequence<UInt8>) {
        pending.append(contentsOf: bytes)
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = pending[pending.startIndex..<newline]
            pending = Data(pending[(newline + 1)...])
            handle(line)
        }
    }

    /// Handles what is left once the stream has ended (a last line without a newline).
    mutating func finish() {
        if !pending.isEmpty {
            handle(pending)
            pending = Data()
        }
    }

    private mutating func handle(_ line: Data) {
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { return }
        guard let message = try? JSONDecoder().decode(Message.self, from: line) else { return }
        if error == nil, let text = message.error ?? message.errorDetail?.message {
            error = text
        }
        if let status = message.status { lastStatus = status }
    }
}
