/// One frame of a stack trace, mapped to the workspace when its file is one of the workspace's.
public struct StackFrame: Sendable, Codable, Equatable {
    /// Who owns the frame's file: the law (a test, a conftest, a locked file), the code under
    /// test, or neither (the standard library, an installed package).
    public enum Owner: String, Sendable, Codable {
        case law, code, external
    }

    /// The path as the trace printed it (a sandbox path, or relative to where the tool ran).
    public var rawPath: String
    /// The workspace-relative path, when the file is one of the workspace's.
    public var path: String?
    public var line: Int?
    /// The function, when the trace names it.
    public var function: String?
    /// The source line the trace shows, when it shows one.
    public var source: String?
    public var owner: Owner

    public init(
        rawPath: String,
        path: String? = nil,
        line: Int? = nil,
        function: String? = nil,
        source: String? = nil,
        owner: Owner = .external
    ) {
        self.rawPath = rawPath
        self.path = path
        self.line = line
        self.function = function
        self.source = source
        self.owner = owner
    }
}

/// A parsed failure: its frames (outermost first), and the exception it ended with.
public struct ParsedTrace: Sendable, Equatable {
    public var frames: [StackFrame]
    /// The exception's type, such as `AssertionError` or `ImportError` (`nil` when none was printed).
    public var exceptionType: String?
    /// The exception's message (the text after `TYPE: `, or pytest's `E` lines).
    public var exceptionMessage: String

    public init(frames: [StackFrame] = [], exceptionType: String? = nil, exceptionMessage: String = "") {
        self.frames = frames
        self.exceptionType = exceptionType
        self.exceptionMessage = exceptionMessage
    }

    /// The innermost frame in the workspace: where the failure was raised, as far as our files go.
    public var innermostWorkspaceFrame: StackFrame? {
        frames.last { $0.owner != .external }
    }

    /// The innermost frame of all.
    public var innermostFrame: StackFrame? { frames.last }
}
