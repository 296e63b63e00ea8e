import TaaSCore
import TaaSDocker
import TaaSSandboxes

extension SandboxRegistry {
    /// Every sandbox built into `taas`: `jail` (bubblewrap), `venv` (a cached virtualenv in the
    /// jail), `docker` (one hardened container per run) and `local` (plain host processes, only
    /// with `--unsafe-local`). This is the only file of the engine that names them.
    public static var standard: SandboxRegistry {
        SandboxRegistry([JailSandbox(), VenvSandbox(), DockerSandbox(), LocalSandbox()])
    }
}
