import Foundation
import TaaSCore
import TaaSSandboxes

/// Builds `python:X.Y-slim`-like images from Debian packages when no registry can provide them:
/// `debootstrap` a minimal rootfs with python3, pip, venv and curl, then import it into the engine.
///
/// The image offers what the official one offers to a scope (`python`, `python3`, `pip`, a
/// working venv) plus `curl`, and carries the label `maestro-taas.built-locally=true`.
public struct BaseImageBuilder: Sendable {
    /// Debian releases by the Python version they ship.
    static let releases: [String: String] = ["3.9": "bullseye", "3.11": "bookworm", "3.13": "trixie"]

    public init() {}

    /// The Debian release that provides an image name, or `nil` when this builder cannot make it.
    public static func release(for image: String) -> String? {
        let (repository, tag) = ImageName.split(image)
        guard repository == "python" || repository == "library/python" || repository == "docker.io/library/python"
        else {
            return nil
        }
        let version = tag.hasSuffix("-slim") ? String(tag.dropLast(5)) : tag
        return releases[version]
    }

    /// Builds and imports `image`; `progress` receives short lines as it goes.
    public func build(
        _ image: String,
        client: DockerClient,
        workDirectory: URL,
        progress: @Sendable (String) -> Void
    ) async throws(SandboxError) {
        guard let release = Self.release(for: image) else {
            throw SandboxError(
                .unavailable,
                "taas cannot build \(image) locally (it builds python:X.Y-slim for \(Self.releases.keys.sorted().joined(separator: ", "))); provide it with `docker load` or a registry"
            )
        }
        guard getuid() == 0 else {
            throw SandboxError(
                .missingTool,
                "building \(image) with debootstrap needs root; run `sudo taas image build \(image)`"
            )
        }
        guard let debootstrap = HostTools.find(["debootstrap", "/usr/sbin/debootstrap"]) else {
            throw SandboxError(
                .missingTool,
                "debootstrap is not installed; install it with: apt-get install debootstrap"
            )
        }
        let mirror = try Self.debianMirror()
        let root = workDirectory.appendingPathComponent("image-\(UUID().uuidString.prefix(8))")
        let rootfs = root.appendingPathComponent("rootfs")
        defer { try? FileManager.default.removeItem(at: root) }
        do { try FileManager.default.createDirectory(at: rootfs, withIntermediateDirectories: true) } catch {
            throw SandboxError(.startFailed, "cannot create \(rootfs.path): \(error)")
        }
        progress("building \(image) from Debian \(release) with debootstrap (about a minute, once)")
        let bootstrap = await HostTools.run(
            debootstrap,
            [
                "--variant=minbase", "--include=python3,python3-pip,python3-venv,curl,ca-certificates", release,
                rootfs.path, mirror,
            ],
            environment: ["DEBIAN_FRONTEND": "noninteractive"]
        )
        guard bootstrap.exitCode == 0 else {
            throw SandboxError(
                .environmentFailed,
                "debootstrap of Debian \(release) failed: \(bootstrap.output.suffix(1500))"
            )
        }
        // What the official image has and Debian's does not; what an image does not need.
        _ = symlink("python3", rootfs.appendingPathComponent("usr/bin/python").path)
        if !FileManager.default.fileExists(atPath: rootfs.appendingPathComponent("usr/bin/pip").path) {
            _ = symlink("pip3", rootfs.appendingPathComponent("usr/bin/pip").path)
        }
        for junk in ["var/cache/apt/archives", "var/lib/apt/lists"] {
            _ = await HostTools.run(
                "/bin/sh",
                ["-c", "rm -rf \"$1\"/*", "sh", rootfs.appendingPathComponent(junk).path]
            )
        }
        let archive = root.appendingPathComponent("rootfs.tar")
        let tar = await HostTools.run("/bin/tar", ["-C", rootfs.path, "--numeric-owner", "-cf", archive.path, "."])
        guard tar.exitCode == 0 else {
            throw SandboxError(.environmentFailed, "cannot archive the image's rootfs: \(tar.output.suffix(1000))")
        }
        progress("importing \(image) into the Docker engine")
        let (repository, tag) = ImageName.split(image)
        do {
            try await client.importImage(
                tarFile: archive,
                repository: repository,
                tag: tag,
                changes: [
                    "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "ENV LANG=C.UTF-8",
                    "CMD [\"python3\"]", "LABEL maestro-taas.built-locally=true",
                    "LABEL maestro-taas.debian-release=\(release)",
                ]
            )
        } catch {
            throw SandboxError(.environmentFailed, "cannot import \(image) into the Docker engine: \(error)")
        }
    }

    /// The Debian mirror from the machine's apt sources (deb822 `.sources` files or `sources.list`).
    static func debianMirror() throws(SandboxError) -> String {
        var candidates: [String] = []
        let directory = "/etc/apt/sources.list.d"
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted() {
            guard let text = try? String(contentsOfFile: "\(directory)/\(name)", encoding: .utf8) else { continue }
            if name.hasSuffix(".sources") {
                for line in text.split(separator: "\n") where line.hasPrefix("URIs:") {
                    candidates += line.dropFirst(5).split(separator: " ").map(String.init)
                }
            } else if name.hasSuffix(".list") {
                candidates += Self.listURIs(text)
            }
        }
        if let text = try? String(contentsOfFile: "/etc/apt/sources.list", encoding: .utf8) {
            candidates += listURIs(text)
        }
        if let mirror = candidates.first(where: { !$0.contains("security") }) { return mirror }
        throw SandboxError(
            .environmentFailed,
            "no Debian mirror found in the machine's apt sources (/etc/apt/sources.list*)"
        )
    }

    private static func listURIs(_ text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ").filter { !$0.hasPrefix("[") }
            guard words.first == "deb", words.count >= 2 else { return nil }
            return String(words[1])
        }
    }
}

/// `repository:tag` names of images.
enum ImageName {
    /// Splits `python:3.11-slim` into `("python", "3.11-slim")`; the tag defaults to `latest`.
    static func split(_ image: String) -> (repository: String, tag: String) {
        if let colon = image.lastIndex(of: ":"), !image[colon...].contains("/") {
            return (String(image[..<colon]), String(image[image.index(after: colon)...]))
        }
        return (image, "latest")
    }
}
