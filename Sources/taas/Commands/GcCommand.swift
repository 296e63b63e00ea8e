import ArgumentParser
import Foundation
import TaaSDocker
import TaaSFabric

/// `taas gc`: removes containers left by runs whose `taas` process is gone, and environment images
/// whose base image is gone.
struct GcCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract:
            "Remove sandbox containers and folders left behind by runs that are gone (for example after kill -9).",
        discussion: """
            A sandbox folder ($TMPDIR/taas-<run id>) is removed when no live process names it or works in it \
            and its run started more than --min-age seconds ago. A container is removed when the process \
            that made it (its pid and start time, in its labels) is gone.
            """
    )

    @Option(help: "Keep the sandbox folders of runs that started less than this many seconds ago.")
    var minAge: Double = 600

    @Flag(help: "Remove every taas container, also those of runs still going.")
    var all = false

    func run() async throws {
        let folders = OrphanSweeper.sweepAbandonedFolders(minimumAge: minAge)
        for folder in folders { print("removed \(folder.path)") }
        print("taas gc: removed \(folders.count) sandbox folder\(folders.count == 1 ? "" : "s") of runs that are gone")
        let client = DockerClient(endpoint: (try? DockerEndpoint.fromEnvironment()) ?? .default)
        let containers: [ContainerSummary]
        do {
            _ = try await client.negotiate()
            containers = try await client.listContainers(all: true, label: DockerSandbox.runLabel)
        } catch {
            throw CommandOutcome.error("taas gc: \(error)")
        }
        var removed = 0
        for container in containers {
            if !all, ContainerOwner.isAlive(container.labels) { continue }
            do {
                try await client.remove(container.id, force: true)
                removed += 1
                print("removed \(container.id.prefix(12)) (run \(container.labels[DockerSandbox.runLabel] ?? "?"))")
            } catch {
                ScopeLoading.printError("taas gc: cannot remove \(container.id.prefix(12)): \(error)")
            }
        }
        print(
            "taas gc: removed \(removed) container\(removed == 1 ? "" : "s"), kept \(containers.count - removed) of runs still going"
        )
        // Environment images whose base image is gone or was replaced: no run starts from them again.
        var stale = 0
        for image in (try? await EnvironmentImageRecord.list(client: client)) ?? []
        where await image.isStale(client: client) {
            do {
                try await client.removeImage(image.id, force: true)
                stale += 1
                print("removed \(image.reference) (its base image \(image.baseImage) changed)")
            } catch {
                ScopeLoading.printError("taas gc: cannot remove \(image.reference): \(error)")
            }
        }
        await client.shutdown()
        print("taas gc: removed \(stale) Docker environment image\(stale == 1 ? "" : "s") of base images that are gone")
    }
}
