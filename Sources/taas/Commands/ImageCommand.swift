import ArgumentParser
import Foundation
import TaaSCore
import TaaSDocker
import TaaSEngine

/// `taas image build NAME`: builds a base image locally from Debian packages.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Manage the container images of the Docker sandbox.",
        subcommands: [Build.self]
    )

    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Build a python:X.Y-slim image locally from Debian packages (debootstrap), for machines with no registry.",
            discussion:
                "Knows python:3.11-slim (Debian bookworm), python:3.9-slim (bullseye) and python:3.13-slim (trixie). Needs root."
        )

        @Argument(help: "The image to build, such as python:3.11-slim.")
        var name: String = DockerSandbox.defaultImage

        @Flag(help: "Build even when the engine already has the image.")
        var force = false

        func run() async throws {
            let client = DockerClient(endpoint: (try? DockerEndpoint.fromEnvironment()) ?? .default)
            do {
                _ = try await client.negotiate()
                if !force, try await client.imageInspect(name) != nil {
                    print("taas: \(name) is already in the Docker engine (use --force to build it again)")
                    return
                }
                try await BaseImageBuilder().build(name, client: client, workDirectory: CacheLocation.default) { line in
                    print("taas: \(line)")
                }
                print("taas: built \(name)")
            } catch let error as DockerError {
                throw CommandOutcome.error("taas image build: \(error)")
            } catch let error as SandboxError {
                throw CommandOutcome.error("taas image build: \(error.message)")
            }
        }
    }
}
