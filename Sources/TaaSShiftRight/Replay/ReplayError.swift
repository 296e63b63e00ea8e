/// A replay that cannot start: what is wrong with its inputs and how to fix it. A recorded answer
/// that differs from the replayed one is never this; it is a failed scenario of the report.
public struct ReplayError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        /// The noise rules file cannot be read, or a path, pattern or header in it is wrong.
        public static let noiseRules = Code(name: "noise rules")
        /// `--service` names no service of the scope.
        public static let unknownService = Code(name: "unknown service")
        /// The service has neither `ready.http` nor `ready.tcp`, so there is no address to replay to.
        public static let noAddress = Code(name: "no address")
        /// The recording holds no request, or a request that cannot be sent.
        public static let recording = Code(name: "recording")
        /// `replay.json` could not be written.
        public static let output = Code(name: "output")
        public var description: String { name }
    }

    public var code: Code
    /// What went wrong and how to fix it.
    public var message: String

    /// An error of `code` that says `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
