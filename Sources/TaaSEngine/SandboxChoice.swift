import TaaSCore
import TaaSDocker
import TaaSSandboxes

/// Which sandbox runs a scope.
public enum SandboxChoice {
    /// The sandbox for a kind.
    /// - Parameters:
    ///   - limits: the container limits (docker only); `nil` keeps the scope's or the defaults.
    ///   - offline: never pull images (docker only).
    public static func sandbox(
        for kind: Environment.Kind, limits: ContainerLimits = .defaults, offline: Bool = false
    ) -> any Sandbox {
        switch kind {
        case .jail: JailSandbox()
        case .venv: VenvSandbox()
        case .local: LocalSandbox()
        case .docker: DockerSandbox(limits: limits, offline: offline)
        }
    }
}
