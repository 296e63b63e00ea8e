import Crypto
import Foundation
import Synchronization
import TaaSCore
import TaaSSandboxes

/// Wheels of a scope's dependencies, downloaded on the host for the container's Python and kept
/// in a cache keyed by (image, Python version, sorted dependencies), so that the second run needs
/// no network: inside the container they are installed with `pip install --no-index`.
struct Wheelhouse {
    var directory: URL

    /// The folder holding the wheels for these dependencies, downloading them when not cached;
    /// `note` hears that a download starts, `progress` how far pip is.
    func wheels(
        for dependencies: [String],
        imageID: String,
        pythonVersion: String,
        note: @Sendable (String) -> Void,
        progress: @escaping @Sendable (String) -> Void
    ) async throws(SandboxError) -> (path: URL, reused: Bool) {
        let sorted = dependencies.sorted()
        // "wheels-only": a wheelhouse made before taas refused source distributions may hold wheels built on the host.
        let material = (["image \(imageID)", "python \(pythonVersion)", "wheels-only"] + sorted).joined(separator: "\n")
        let key = SHA256.hash(data: Data(material.utf8)).prefix(10).hexText
        let path = directory.appendingPathComponent(key)
        let marker = path.appendingPathComponent(".taas-complete")
        if Self.isComplete(path) { return (path, true) }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try HostTools.makeTraversable(directory)
        } catch {
            throw SandboxError(.environmentFailed, "cannot create the wheel cache \(directory.path): \(error)")
        }
        let lock = open(directory.appendingPathComponent("\(key).lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0 else { throw SandboxError(.environmentFailed, "cannot lock the wheel cache") }
        defer { close(lock) }
        guard await HostTools.lockExclusively(lock) else {
            throw SandboxError(.environmentFailed, "interrupted while waiting for another run to download the wheels")
        }
        if Self.isComplete(path) { return (path, true) }
        try? FileManager.default.removeItem(at: path)
        guard let python = HostTools.find(["/usr/bin/python3", "python3"]) else {
            throw SandboxError(
                .missingTool,
                "python3 (with pip) is needed on the host to download wheels: apt-get install python3-pip"
            )
        }
        note("downloading wheels for \(sorted.joined(separator: ", ")) (once)")
        // Wheels for the container's Python whatever the host's; pure-Python wheels fit any platform.
        // Wheels only, never a source build: pip runs as root on the host (see HostPip).
        let reader = Mutex(PipProgress())
        let download = await HostTools.run(
            python,
            Self.downloadArguments(sorted, into: path, pythonVersion: pythonVersion),
            workingDirectory: directory.path
        ) { line in
            if let status = reader.withLock({ $0.take(line) }) { progress(status) }
        }
        guard download.exitCode == 0 else {
            try? FileManager.default.removeItem(at: path)
            throw SandboxError(
                .environmentFailed,
                VenvDependencyMessage.describe(download.output, dependencies: sorted)
            )
        }
        _ = await HostTools.run("/bin/chmod", ["-R", "a+rX", path.path])
        do { try Data(material.utf8).write(to: marker) } catch {
            throw SandboxError(.environmentFailed, "cannot complete the wheelhouse \(path.path): \(error)")
        }
        return (path, false)
    }

    /// `pip download` of the dependencies' wheels for the container's Python (`3.11.2` → cp311).
    ///
    /// There is no fallback to source distributions: building one would run its build backend as
    /// root on the host, so a dependency without a wheel fails (the message says so).
    static func downloadArguments(_ dependencies: [String], into path: URL, pythonVersion: String) -> [String] {
        let minor = pythonVersion.split(separator: ".").prefix(2).joined(separator: ".")
        let abi = "cp" + minor.replacingOccurrences(of: ".", with: "")
        return [
            "-m", "pip", "download", "--disable-pip-version-check", "--no-input", "--progress-bar", "off", "--dest",
            path.path,
        ]
            + HostPip.wheelsOnly
            + [
                "--python-version", minor, "--implementation", "cp", "--abi", abi,
                "--platform", "manylinux2014_x86_64", "--platform", "manylinux_2_17_x86_64", "--platform",
                "linux_x86_64",
                "--",
            ] + dependencies
    }

    /// Whether a cached wheelhouse is whole: marked complete, and every wheel a complete zip archive
    /// (a copy cut short, or a full disk, loses the central directory at the archive's end). A
    /// damaged one is downloaded again.
    static func isComplete(_ path: URL) -> Bool {
        guard FileManager.default.fileExists(atPath: path.appendingPathComponent(".taas-complete").path),
            let names = try? FileManager.default.contentsOfDirectory(atPath: path.path)
        else { return false }
        return names.filter { $0.hasSuffix(".whl") }.allSatisfy { isCompleteZip(path.appendingPathComponent($0)) }
    }

    /// Whether a file ends with a zip archive's end-of-central-directory record.
    static func isCompleteZip(_ file: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return false }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), size >= 22 else { return false }
        // The record is 22 bytes plus a comment of at most 65535 bytes.
        let start = size > 65_557 ? size - 65_557 : 0
        guard (try? handle.seek(toOffset: start)) != nil, let tail = try? handle.readToEnd() else { return false }
        let signature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        let bytes = [UInt8](tail)
        guard bytes.count >= 22 else { return false }
        for offset in stride(from: bytes.count - 22, through: 0, by: -1)
        where Array(bytes[offset..<offset + 4]) == signature {
            return true
        }
        return false
    }
}
