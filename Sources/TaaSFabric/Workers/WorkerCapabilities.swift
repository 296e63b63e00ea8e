import Foundation
import TaaSDocker
import TaaSSandboxes

/// What this machine can run, as the labels a worker advertises: `docker` (an engine answers),
/// `bwrap` (bubblewrap makes namespaces: the jail and venv sandboxes), `python` (`3.11`), and
/// `unsafe_local` when the operator allows the local sandbox.
public enum WorkerCapabilities {
    /// Probes the machine (a second or so: the engine is asked and bubblewrap is tried once).
    public static func detect(allowUnsafeLocal: Bool) async -> [String: String] {
        var labels: [String: String] = [:]
        let client = DockerClient(endpoint: (try? DockerEndpoint.fromEnvironment()) ?? .default)
        labels["docker"] = (try? await client.negotiate()) != nil ? "true" : "false"
        await client.shutdown()
        if let bwrap = HostTools.find(["bwrap"]) {
            // Dies with this process, and given ten seconds: a probe must never outlive or stall it.
            let probe = [bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"]
            let works = await HostTools.run("/usr/bin/timeout", ["10"] + probe)
            labels["bwrap"] = works.exitCode == 0 ? "true" : "false"
        } else {
            labels["bwrap"] = "false"
        }
        if let python = HostTools.find(["/usr/bin/python3", "python3"]) {
            let version = await HostTools.run(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
            let text = version.output.trimmingCharacters(in: .whitespacesAndNewlines)
            if version.exitCode == 0, !text.isEmpty { labels["python"] = text }
        }
        if allowUnsafeLocal { labels["unsafe_local"] = "true" }
        return labels
    }
}
