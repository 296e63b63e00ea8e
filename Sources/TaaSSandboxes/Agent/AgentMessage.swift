/// One message of the agent protocol: NUL-separated fields in one SOCK_SEQPACKET packet.
/// See the comment at the top of `taas-agent.c` for the messages.
struct AgentMessage: Sendable, Equatable {
    var fields: [String]

    init(_ fields: [String]) { self.fields = fields }

    /// The bytes of the packet.
    var encoded: [UInt8] {
        var bytes: [UInt8] = []
        for field in fields {
            bytes.append(contentsOf: field.utf8)
            bytes.append(0)
        }
        return bytes
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
        id: String, timeoutMilliseconds: Int, keepBackground: Bool, workingDirectory: String, environment: [String],
        arguments: [String]
    ) -> AgentMessage {
        AgentMessage(
            ["RUN", id, String(timeoutMilliseconds), keepBackground ? "1" : "0", workingDirectory, String(environment.count)]
                + environment + [String(arguments.count)] + arguments)
    }
}
