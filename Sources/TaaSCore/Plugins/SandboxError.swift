/// A sandbox that could not be started or that broke during a run. A failing step is not one.
public struct SandboxError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A program the sandbox needs (bwrap, a C compiler, python3) is missing.
        public static let missingTool = Code("missing-tool")
        /// The sandbox could not be created.
        public static let startFailed = Code("start-failed")
        /// The environment (virtualenv, dependencies) could not be prepared.
        public static let environmentFailed = Code("environment-failed")
        /// The sandbox stopped answering or ended during the run.
        public static let broken = Code("broken")
        /// The workspace could not be copied.
        public static let workspaceFailed = Code("workspace-failed")
        /// The sandbox kind is not available in this build.
        public static let unavailable = Code("unavailable")
        /// A file a step left for the harness was not read: a link, a FIFO or another non-regular
        /// file, or larger than the limit. The sandbox still works; the attempt is an `error`.
        public static let refusedArtifact = Code("refused-artifact")
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
