/// A problem of the Fabric itself (its store, its folder, its configuration); a failing run is a
/// report, never one of these.
public struct FabricError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The run store cannot be opened or written.
        public static let store = Code("store")
        /// The server's configuration is refused (a non-loopback address without tokens, say).
        public static let configuration = Code("configuration")
        /// The data folder cannot be created or written.
        public static let dataFolder = Code("data-folder")
    }

    public var code: Code
    /// What went wrong and how to fix it.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
