import ArgumentParser
import Foundation
import TaaSCore
import TaaSDocker
import TaaSEngine
import TaaSSandboxes

/// `taas doctor`: checks what the sandboxes need and says how to fix what is missing.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract:
            "Check bubblewrap, the Docker engine, the base images and the caches; print the fix for anything missing."
    )

    func run() async throws {
        var problems = 0
        func report(_ ok: Bool, _ what: String, fix: String? = nil) {
            print("\(ok ? "✔" : "✘") \(what)")
            if !ok {
                problems += 1
                if let fix { print("    fix: \(fix)") }
            }
        }
        let bwrap = HostTools.find(["bwrap"])
        if let bwrap {
            let version = await HostTools.run(bwrap, ["--version"])
            let works = await HostTools.run(bwrap, ["--unshare-all", "--ro-bind", "/", "/", "true"])
            report(
                works.exitCode == 0,
                "bubblewrap: \(version.output.trimmingCharacters(in: .whitespacesAndNewlines)) at \(bwrap)\(works.exitCode == 0 ? "" : " cannot make namespaces: \(works.output)")",
                fix: "enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)"
            )
        } else {
            report(false, "bubblewrap (bwrap) is not installed", fix: "apt-get install bubblewrap  (or scripts/setup)")
        }
        let cache = CacheLocation.default
        do {
            let agent = try await AgentBinary.path(cacheDirectory: cache)
            report(true, "sandbox agent: \(agent.path)")
        } catch {
            report(false, "sandbox agent: \(error.message)", fix: "apt-get install gcc libc6-dev")
        }
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")
        report(
            python,
            "python3 for the venv sandbox: /usr/bin/python3",
            fix: "apt-get install python3 python3-venv python3-pip"
        )
        let client = DockerClient(endpoint: (try? DockerEndpoint.fromEnvironment()) ?? .default)
        do {
            let api = try await client.negotiate()
            let version = try await client.version()
            report(true, "Docker engine \(version.version) (API \(api)) at \(client.endpoint.description)")
            let image = try await client.imageInspect(DockerSandbox.defaultImage)
            report(
                image != nil,
                "base image \(DockerSandbox.defaultImage)\(image.map { $0.labels["maestro-taas.built-locally"] == "true" ? " (built locally)" : "" } ?? " is missing")",
                fix: "taas image build \(DockerSandbox.defaultImage)  (or docker load -i FILE)"
            )
        } catch {
            report(false, "Docker engine: \(error)", fix: "scripts/docker-engine start")
        }
        let writable =
            FileManager.default.isWritableFile(atPath: cache.path)
            || (try? FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)) != nil
        report(writable, "cache folder \(cache.path)", fix: "set TAAS_CACHE_DIR to a writable folder")
        print(
            problems == 0
                ? "taas doctor: everything is ready" : "taas doctor: \(problems) problem\(problems == 1 ? "" : "s")"
        )
        if problems > 0 { throw CommandOutcome.error(nil) }
    }
}
