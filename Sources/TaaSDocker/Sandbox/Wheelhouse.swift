import Crypto
import Foundation
import TaaSCore
import TaaSSandboxes

/// Wheels of a scope's dependencies, downloaded on the host for the container's Python and kept
/// in a cache keyed by (image, Python version, sorted dependencies), so that the second run needs
/// no network: inside the container they are installed with `pip install --no-index`.
struct Wheelhouse {
    var directory: URL

    /// The folder holding the wheels for these dependencies, downloading them when not cached.
    func wheels(
        for dependencies: [String], imageID: String, pythonVersion: String, progress: @Sendable (String) -> Void
    ) async throws(SandboxError) -> (path: URL, reused: Bool) {
        let sorted = dependencies.sorted()
        let material = (["image \(imageID)", "python \(pythonVersion)"] + sorted).joined(separator: "\n")
        let key = SHA256.hash(data: Data(material.utf8)).prefix(10).map { String(format: "%02x", $0) }.joined()
        let path = directory.appendingPathComponent(key)
        let marker = path.appendingPathComponent(".taas-complete")
        if FileManager.default.fileExists(atPath: marker.path) { return (path, true) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try HostTools.makeTraversable(directory)
        } catch {
            throw SandboxError(.environmentFailed, "cannot create the wheel cache \(directory.path): \(error)")
        }
        let lock = open(directory.appendingPathComponent("\(key).lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0 else { throw SandboxError(.environmentFailed, "cannot lock the wheel cache") }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 && errno == EINTR {}
        if FileManager.default.fileExists(atPath: marker.path) { return (path, true) }
        try? FileManager.default.removeItem(at: path)
        guard let python = HostTools.find(["/usr/bin/python3", "python3"]) else {
            throw SandboxError(.missingTool, "python3 (with pip) is needed on the host to download wheels: apt-get install python3-pip")
        }
        progress("downloading wheels for \(sorted.joined(separator: ", ")) (once)")
        let minor = pythonVersion.split(separator: ".").prefix(2).joined(separator: ".")
        let abi = "cp" + minor.replacingOccurrences(of: ".", with: "")
        // Wheels for the container's Python whatever the host's; pure-Python wheels fit any platform.
        var download = await HostTools.run(
            python,
            ["-m", "pip", "download", "--disable-pip-version-check", "--no-input", "--quiet", "--dest", path.path,
             "--only-binary=:all:", "--python-version", minor, "--implementation", "cp", "--abi", abi,
             "--platform", "manylinux2014_x86_64", "--platform", "manylinux_2_17_x86_64", "--platform", "linux_x86_64"]
                + sorted)
        if download.exitCode != 0 {
            // Some packages have no wheel: fall back to what pip gives for the host.
            try? FileManager.default.removeItem(at: path)
            download = await HostTools.run(
                python, ["-m", "pip", "download", "--disable-pip-version-check", "--no-input", "--quiet", "--dest", path.path] + sorted)
        }
        guard download.exitCode == 0 else {
            try? FileManager.default.removeItem(at: path)
            throw SandboxError(.environmentFailed, VenvDependencyMessage.describe(download.output, dependencies: sorted))
        }
        _ = await HostTools.run("/bin/chmod", ["-R", "a+rX", path.path])
        do { try Data(material.utf8).write(to: marker) } catch {
            throw SandboxError(.environmentFailed, "cannot complete the wheelhouse \(path.path): \(error)")
        }
        return (path, false)
    }
}
