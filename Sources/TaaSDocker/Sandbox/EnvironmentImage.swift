import Crypto
import Foundation
import TaaSCore
import TaaSSandboxes

/// A base image with a scope's dependencies installed, kept in the engine so that a warm run starts
/// from it and installs nothing.
///
/// Made once per (base image id, Python version, sorted dependencies): a container of the base
/// image, with no network, all capabilities dropped and the wheelhouse bound read-only, makes a
/// virtualenv at ``venvPath`` and installs the wheels into it with `pip --no-index`; the container
/// is then committed as `taas-env:<key>`, labelled with what it holds. `taas cache ls` lists these
/// images, `taas cache clear` removes them, and `taas gc` removes those whose base image is gone.
struct EnvironmentImage: Sendable {
    static let repository = "taas-env"
    /// The label that marks an environment image; its value is the key.
    static let label = "maestro-taas.environment"
    static let baseLabel = "maestro-taas.environment.base-image-id"
    static let baseNameLabel = "maestro-taas.environment.base-image"
    static let dependenciesLabel = "maestro-taas.environment.dependencies"
    static let pythonLabel = "maestro-taas.environment.python"
    /// Where the virtualenv is in the image (the run's root filesystem is read-only).
    static let venvPath = "/opt/taas-venv"

    /// The image reference, such as `taas-env:3f2a9c1b0d4e5f6a7b8c`.
    var reference: String
    /// Its id.
    var id: String
    /// Whether it was already there.
    var reused: Bool
    /// Whether the wheelhouse was already cached, when the image had to be made.
    var wheelhouseReused: Bool?

    /// The key of an environment: the same base image, Python and dependencies give the same key.
    static func key(imageID: String, pythonVersion: String, dependencies: [String]) -> String {
        let material = (["image \(imageID)", "python \(pythonVersion)"] + dependencies.sorted()).joined(separator: "\n")
        return SHA256.hash(data: Data(material.utf8)).prefix(10).hexText
    }

    /// The environment image for these dependencies on `image`, made now when the engine lacks it.
    static func ensure(
        client: DockerClient,
        image: String,
        imageInfo: ImageProvider.Info,
        dependencies: [String],
        configuration: SandboxConfiguration
    ) async throws(SandboxError) -> EnvironmentImage {
        let key = key(imageID: imageInfo.id, pythonVersion: imageInfo.pythonVersion, dependencies: dependencies)
        let reference = "\(repository):\(key)"
        if let found = try? await client.imageInspect(reference), found.labels[label] == key {
            return EnvironmentImage(reference: reference, id: found.id, reused: true)
        }
        let observer = configuration.observer
        let wheels = try await Wheelhouse(directory: configuration.cacheDirectory.appendingPathComponent("wheels"))
            .wheels(
                for: dependencies,
                imageID: imageInfo.id,
                pythonVersion: imageInfo.pythonVersion,
                note: { observer.handle(.note($0)) },
                progress: { observer.handle(.progress("wheels: \($0)")) }
            )
        observer.handle(.note("installing \(dependencies.sorted().joined(separator: ", ")) into \(reference) (once)"))
        let id = try await build(
            client: client,
            image: image,
            wheels: wheels.path,
            dependencies: dependencies,
            reference: (repository, key),
            labels: [
                label: key, baseLabel: imageInfo.id, baseNameLabel: image, pythonLabel: imageInfo.pythonVersion,
                dependenciesLabel: dependencies.sorted().joined(separator: ", "),
            ],
            configuration: configuration
        )
        return EnvironmentImage(reference: reference, id: id, reused: false, wheelhouseReused: wheels.reused)
    }

    /// Runs the install in a container of `image` and commits it.
    private static func build(
        client: DockerClient,
        image: String,
        wheels: URL,
        dependencies: [String],
        reference: (repository: String, tag: String),
        labels: [String: String],
        configuration: SandboxConfiguration
    ) async throws(SandboxError) -> String {
        let limits = ContainerLimits(scope: configuration.limits)
        let memory = Int64(max(limits.memoryMB, 1024)) * 1024 * 1024
        let script =
            "python3 -m venv --without-pip --system-site-packages \(venvPath) && \(venvPath)/bin/python -m pip install --no-index --find-links /taas/wheels --disable-pip-version-check --no-input --no-cache-dir --quiet \"$@\""
        let spec = ContainerSpec(
            image: image,
            cmd: [],
            entrypoint: ["/bin/sh", "-c", script, "sh"] + dependencies,
            env: ["PATH=\(JailSandbox.systemPath)", "HOME=/tmp", "LANG=C.UTF-8"],
            user: "0:0",
            workingDir: "/",
            labels: ContainerOwner.labels.merging([DockerSandbox.runLabel: configuration.runID]) { _, run in run },
            networkDisabled: true,
            hostConfig: .init(
                networkMode: "none",
                capDrop: ["ALL"],
                securityOpt: ["no-new-privileges"],
                pidsLimit: Int64(limits.pids),
                memory: memory,
                memorySwap: memory,
                tmpfs: ["/tmp": "rw,exec,nosuid,nodev,size=512m,mode=1777"],
                binds: ["\(wheels.path):/taas/wheels:ro"]
            )
        )
        let containerID: String
        do { containerID = try await client.createContainer(spec: spec) } catch {
            throw SandboxError(
                .environmentFailed,
                "cannot create the container that installs the dependencies: \(error)"
            )
        }
        do {
            try await client.start(containerID)
            let status = try await client.wait(containerID, timeout: .seconds(600))
            guard status == 0 else {
                let said = (try? await client.logs(containerID, tail: 40)) ?? ""
                _ = await DockerSandbox.remove(containerID, client: client, shutdown: false)
                throw SandboxError(
                    .environmentFailed,
                    "cannot install the dependencies (\(dependencies.joined(separator: ", "))) in \(image): pip exited with \(status)\n\(said.suffix(1500))"
                )
            }
            let changes = labels.sorted { $0.key < $1.key }.map { "LABEL \($0.key)=\"\($0.value)\"" }
            let id = try await client.commit(
                containerID,
                repository: reference.repository,
                tag: reference.tag,
                changes: changes
            )
            _ = await DockerSandbox.remove(containerID, client: client, shutdown: false)
            return id
        } catch let error as SandboxError {
            throw error
        } catch {
            _ = await DockerSandbox.remove(containerID, client: client, shutdown: false)
            throw SandboxError(
                .environmentFailed,
                "cannot make the environment image \(reference.repository):\(reference.tag): \(error)"
            )
        }
    }
}
