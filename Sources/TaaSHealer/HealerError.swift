/// Something the Healer could not do as asked: a file it cannot read, a workspace it cannot copy.
/// A failing test, a rejected fix or a hanging fixer are outcomes, never this error.
public struct HealerError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// An input (report, baseline, history, scope) cannot be read or is not what was expected.
        public static let input = Code("input")
        /// The workspace or its copy cannot be read or written.
        public static let workspace = Code("workspace")
        /// An output file cannot be written.
        public static let output = Code("output")
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
