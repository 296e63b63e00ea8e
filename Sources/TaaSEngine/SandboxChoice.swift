import TaaSCore
import TaaSSandboxes

/// Which sandbox runs a scope.
public enum SandboxChoice {
    /// The sandbox for a kind, or an error when this build has none for it.
    public static func sandbox(for kind: Environment.Kind) throws(SandboxError) -> any Sandbox {
        switch kind {
        case .jail: return JailSandbox()
        case .venv: return VenvSandbox()
        case .local: return LocalSandbox()
        case .docker:
            throw SandboxError(
                .unavailable,
                "the docker sandbox is not available in this version of taas; run this scope with --sandbox venv (or jail) instead")
        }
    }
}
