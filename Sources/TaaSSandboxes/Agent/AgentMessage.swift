import TaaSCore

/// One message of the agent protocol: NUL-separated fields in one SOCK_SEQPACKET packet.
/// See the comment at the top of `taas-agent.c` for the messages.
struct AgentMessage: Sendable, Equatable {
    var fields: [String]
    /// Raw bytes after the last field (a FETCH request's bytes), which may hold NULs.
    var payload: [UInt8] = []

    init(_ fields: [String], payload: [UInt8] = []) {
        self.fields = fields
        self.payload = payload
    }

    /// The bytes of the packet.
    var encoded: [UInt8] {
        var bytes: [UInt8] = []
        for field in fields {
            bytes.append(contentsOf: field.utf8)
            bytes.append(0)
        }
        return bytes + payload
    }

    /// Splits a received packet into its fields.
    init(decoding bytes: some Collection<UInt8>) {
        fields = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if fields.last == "" { fields.removeLast() }
    }

    var kind: String { fields.first ?? "" }
    var id: String { fields.count > 1 ? fields[1] : "" }

    /// A RUN request: the step's id, limits, working directory, environment and program.
    static func run(
        id: String,
        timeoutMilliseconds: Int,
        keepBackground: Bool,
        workingDirectory: String,
        environment: [String],
        arguments: [String]
    ) -> AgentMessage {
        AgentMessage(
            [
                "RUN", id, String(timeoutMilliseconds), keepBackground ? "1" : "0", workingDirectory,
                String(environment.count),
            ]
                + environment + [String(arguments.count)] + arguments
        )
    }

    /// A COPY request: the regular file `folder/name` inside the sandbox, at most `limit` bytes, to a passed fd.
    static func copy(id: String, folder: String, name: String, limit: Int) -> AgentMessage {
        AgentMessage(["COPY", id, folder, name, String(limit)])
    }

    /// A FETCH request: one exchange with `host:port` inside the sandbox; the answer goes to a passed fd.
    static func fetch(id: String, exchange: LoopbackExchange) -> AgentMessage {
        AgentMessage(
            [
                "FETCH", id, exchange.host, String(exchange.port),
                String(max(1, DurationText.milliseconds(exchange.timeout))),
                String(exchange.maximumResponseBytes), String(exchange.request.count),
            ],
            payload: exchange.request
        )
    }
}
