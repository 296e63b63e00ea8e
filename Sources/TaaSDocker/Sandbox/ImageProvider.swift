import Foundation
import TaaSCore
import TaaSSandboxes

/// Makes sure an image is in the engine: already there, pulled (unless offline), or built
/// locally from Debian packages when it is one `taas` knows how to build.
struct ImageProvider {
    var client: DockerClient
    var offline: Bool
    var cacheDirectory: URL

    struct Info: Sendable {
        var id: String
        var pythonVersion: String
        var builtLocally: Bool
    }

    func ensure(_ image: String, progress: @Sendable (String) -> Void) async throws(SandboxError) -> Info {
        if let info = try await inspect(image) { return info }
        var pullProblem = "not tried (--offline)"
        if !offline {
            do {
                progress("pulling \(image)")
                try await client.pullImage(image)
                if let info = try await inspect(image) { return info }
            } catch {
                pullProblem = "\(error)"
            }
        }
        guard BaseImageBuilder.release(for: image) != nil else {
            throw SandboxError(
                .unavailable,
                "the image \(image) is not in the Docker engine and cannot be pulled (\(pullProblem)); load it with `docker load -i FILE`, or use an image taas can build (python:3.11-slim): `taas image build python:3.11-slim`"
            )
        }
        try await BaseImageBuilder().build(image, client: client, workDirectory: cacheDirectory, progress: progress)
        guard let info = try await inspect(image) else {
            throw SandboxError(.environmentFailed, "the image \(image) was built but the engine does not list it")
        }
        return info
    }

    private func inspect(_ image: String) async throws(SandboxError) -> Info? {
        let found: ImageInfo?
        do { found = try await client.imageInspect(image) } catch {
            throw SandboxError(.unavailable, "\(error)")
        }
        guard let found else { return nil }
        let (_, tag) = ImageName.split(image)
        let version = tag.split(separator: "-").first.map(String.init) ?? ""
        let fromEnv = found.env.first { $0.hasPrefix("PYTHON_VERSION=") }.map {
            String($0.dropFirst("PYTHON_VERSION=".count))
        }
        return Info(
            id: found.id,
            pythonVersion: fromEnv ?? (version.first?.isNumber == true ? version : "3.11"),
            builtLocally: found.labels["maestro-taas.built-locally"] == "true"
        )
    }
}
