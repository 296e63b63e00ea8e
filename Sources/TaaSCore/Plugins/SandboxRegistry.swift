/// The sandboxes a run can use, by kind.
///
/// A scope's `environment.type` (or the caller's choice, `--sandbox`) names a kind; the run uses the
/// sandbox registered under it. Adding a sandbox means registering it here (``adding(_:)``); the
/// engine and the command line take their choices from the registry in use.
public struct SandboxRegistry: Sendable {
    private var sandboxes: [String: any Sandbox]

    /// A registry of `sandboxes`, each under its ``Sandbox/kind``; a later sandbox of the same kind wins.
    public init(_ sandboxes: [any Sandbox]) {
        self.sandboxes = Dictionary(sandboxes.map { ($0.kind, $0) }, uniquingKeysWith: { $1 })
    }

    /// The sandbox registered under `kind`, or `nil`.
    public func sandbox(kind: String) -> (any Sandbox)? {
        sandboxes[kind]
    }

    /// The same registry with `sandbox` added (or replacing the one of the same kind).
    public func adding(_ sandbox: any Sandbox) -> SandboxRegistry {
        var copy = self
        copy.sandboxes[sandbox.kind] = sandbox
        return copy
    }

    /// The kinds of the registered sandboxes, sorted.
    public var kinds: [String] { sandboxes.keys.sorted() }

    /// The sandbox of `kind`, admitted for use (see ``admit(_:allowUnsafe:)``).
    /// - Throws: ``SandboxError`` with code `unavailable` when no sandbox of that kind is registered,
    ///   or when it does not isolate and `allowUnsafe` is `false`.
    public func resolve(kind: String, allowUnsafe: Bool) throws(SandboxError) -> any Sandbox {
        guard let sandbox = sandboxes[kind] else {
            throw SandboxError(
                .unavailable,
                "no sandbox of kind \"\(kind)\" is registered; expected one of \(kinds.map { "\"\($0)\"" }.joined(separator: ", "))"
            )
        }
        try Self.admit(sandbox, allowUnsafe: allowUnsafe)
        return sandbox
    }

    /// The one check of the user's consent to a sandbox that does not isolate its steps.
    /// - Throws: ``SandboxError`` with code `unavailable` when `sandbox` does not isolate and
    ///   `allowUnsafe` (`--unsafe-local`) is `false`.
    public static func admit(_ sandbox: any Sandbox, allowUnsafe: Bool) throws(SandboxError) {
        if !sandbox.isolates && !allowUnsafe {
            throw SandboxError(
                .unavailable,
                "the \(sandbox.kind) sandbox runs steps as plain host processes; it is used only with --unsafe-local"
            )
        }
    }
}
