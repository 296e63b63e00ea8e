import Crypto
import Foundation
import TaaSCore

/// The in-sandbox agent's executable, compiled once per machine from the source embedded in `taas`.
///
/// The agent is C and linked statically so that it runs inside any sandbox; it is built with the
/// host's C compiler into the cache under a digest of its source, so a new `taas` gets a new agent.
public enum AgentBinary {
    /// The path of the agent executable, building it first when the cache has none.
    public static func path(cacheDirectory: URL) async throws(SandboxError) -> URL {
        let source = Data(PackageResources.taas_agent_c)
        let digest = SHA256.hash(data: source).prefix(8).hexText
        let directory = cacheDirectory.appendingPathComponent("agent/\(digest)")
        let binary = directory.appendingPathComponent("taas-agent")
        if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        guard let compiler = HostTools.find(["cc", "gcc", "clang"]) else {
            throw SandboxError(
                .missingTool,
                "no C compiler found to build the sandbox agent (looked for cc, gcc, clang on PATH); install one: apt-get install gcc libc6-dev"
            )
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try HostTools.makeTraversable(directory)
        } catch {
            throw SandboxError(.startFailed, "cannot create the agent cache folder \(directory.path): \(error)")
        }
        // Unique names: several runs (or several tasks of one process) may build it at once; the
        // rename below makes exactly one complete binary visible.
        let unique = UUID().uuidString
        let sourceFile = directory.appendingPathComponent("taas-agent.\(unique).c")
        let temporary = directory.appendingPathComponent("taas-agent.\(unique).tmp")
        defer {
            try? FileManager.default.removeItem(at: sourceFile)
            try? FileManager.default.removeItem(at: temporary)
        }
        do { try source.write(to: sourceFile) } catch {
            throw SandboxError(.startFailed, "cannot write the agent source to \(sourceFile.path): \(error)")
        }
        let result = await HostTools.run(compiler, ["-static", "-O2", "-o", temporary.path, sourceFile.path])
        guard result.exitCode == 0 else {
            throw SandboxError(
                .missingTool,
                "cannot build the sandbox agent with \(compiler) (a static C library is needed: apt-get install libc6-dev): \(result.output.suffix(2000))"
            )
        }
        // Atomic: a concurrent run either sees no agent or a complete one.
        if rename(temporary.path, binary.path) != 0 {
            throw SandboxError(
                .startFailed,
                "cannot install the agent at \(binary.path): \(String(cString: strerror(errno)))"
            )
        }
        chmod(binary.path, 0o755)
        return binary
    }
}
