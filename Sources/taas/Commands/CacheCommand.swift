import ArgumentParser
import Foundation
import TaaSCore
import TaaSDocker
import TaaSEngine
import TaaSIntegrity

/// `taas cache ls|clear`: the verdict cache of `taas run --cache`, and the Docker sandbox's
/// environment images (a base image with a scope's dependencies installed).
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "List or clear the verdict cache (taas run --cache) and the Docker environment images.",
        subcommands: [List.self, Clear.self]
    )

    struct Location: ParsableArguments {
        @Option(help: "The cache folder (default: TAAS_CACHE_DIR, or a per-user cache).")
        var cacheDir: String?

        var cache: VerdictCache {
            let root = cacheDir.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? CacheLocation.default
            return VerdictCache(root: root.appendingPathComponent(CacheLocation.verdictsFolder))
        }
    }

    /// The engine's environment images, or nil when no engine answers (then there are none to show).
    static func environmentImages() async -> (client: DockerClient, images: [EnvironmentImageRecord])? {
        let client = DockerClient(endpoint: (try? DockerEndpoint.fromEnvironment()) ?? .default)
        guard (try? await client.negotiate()) != nil,
            let images = try? await EnvironmentImageRecord.list(client: client)
        else {
            await client.shutdown()
            return nil
        }
        return (client, images)
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List the stored verdicts and the Docker environment images."
        )

        @OptionGroup var location: Location

        func run() async {
            listVerdicts()
            guard let (client, images) = await CacheCommand.environmentImages() else { return }
            await client.shutdown()
            for image in images {
                print(
                    "\(image.reference)  \(image.sizeBytes >> 20) MiB  \(image.baseImage) + \(image.dependencies)"
                )
            }
            print("\(images.count) Docker environment image(s)")
        }

        private func listVerdicts() {
            let entries = location.cache.entries()
            if entries.isEmpty {
                print("the verdict cache is empty (\(location.cache.root.path))")
                return
            }
            for entry in entries {
                let stored = entry.storedAt.formatted(.iso8601)
                print(
                    "\(entry.key.prefix(19))  \(entry.verdict.rawValue.uppercased())  \(entry.scopeID)  run \(entry.runID)  \(stored)"
                )
            }
            print("\(entries.count) verdict(s) in \(location.cache.root.path)")
        }
    }

    struct Clear: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clear",
            abstract: "Remove every stored verdict and every Docker environment image."
        )

        @OptionGroup var location: Location

        func run() async throws {
            do {
                let count = try location.cache.clear()
                print("removed \(count) verdict(s) from \(location.cache.root.path)")
            } catch {
                throw CommandOutcome.error("taas: \(error.message)")
            }
            guard let (client, images) = await CacheCommand.environmentImages() else { return }
            var removed = 0
            for image in images {
                do {
                    try await client.removeImage(image.id, force: true)
                    removed += 1
                } catch {
                    ScopeLoading.printError("taas cache clear: cannot remove \(image.reference): \(error)")
                }
            }
            await client.shutdown()
            print("removed \(removed) Docker environment image(s)")
        }
    }
}
