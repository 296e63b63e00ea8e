/// Something `taas incidents` or `taas scope merge` cannot do: what went wrong and how to fix it.
public struct IncidentError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        /// `--base-url` is not an `http://` loopback URL.
        public static let baseURL = Code(name: "base URL")
        /// The fragment file is not a `taas-incidents/1` fragment.
        public static let fragment = Code(name: "fragment")
        /// The scope file cannot be read or cannot take the scenarios.
        public static let scope = Code(name: "scope")
        /// A file cannot be written.
        public static let output = Code(name: "output")
        public var description: String { name }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
