/// A recording or log that cannot be read: which file, what is wrong, and how to fix it.
public struct RecordingError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        /// The file is missing or unreadable.
        public static let unreadable = Code(name: "unreadable")
        /// The file is not in the format it was read as.
        public static let malformed = Code(name: "malformed")
        /// The format could not be told from the content; give `--format`.
        public static let unknownFormat = Code(name: "unknown format")
        public var description: String { name }
    }

    public var code: Code
    public var file: String
    public var message: String

    public init(_ code: Code, file: String, _ message: String) {
        self.code = code
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
