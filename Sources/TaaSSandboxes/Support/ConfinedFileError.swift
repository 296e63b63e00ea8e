/// A file that ``ConfinedFile`` refused to read: a link, a FIFO, a device or a folder where a
/// regular file was expected, a file larger than the limit, or a name that leaves its folder.
///
/// What a sandbox wrote is read by the harness as root on the host: a refused file is never
/// followed, waited on or read in part.
public struct ConfinedFileError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The name, or one of the folders on its way, is a symbolic link.
        public static let link = Code("link")
        /// The name is a FIFO, a socket, a device or a folder, not a regular file.
        public static let notRegularFile = Code("not-regular-file")
        /// The file is larger than the reader's limit.
        public static let tooLarge = Code("too-large")
        /// The name is empty, absolute, or has a `.` or `..` component.
        public static let badName = Code("bad-name")
        /// The file exists but could not be opened or read (permissions, I/O error).
        public static let unreadable = Code("unreadable")
    }

    /// What kind of problem it is.
    public var code: Code
    /// The name that was refused, relative to the folder it was read from.
    public var name: String
    /// What went wrong and how it may be remedied.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What kind of problem it is.
    ///   - name: The refused name, relative to its folder.
    ///   - message: What went wrong and how it may be remedied.
    public init(_ code: Code, name: String, _ message: String) {
        self.code = code
        self.name = name
        self.message = message
    }

    public var description: String { message }
}
