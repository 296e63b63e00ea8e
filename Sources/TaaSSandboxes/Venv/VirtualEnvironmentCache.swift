import Crypto
import Foundation
import Synchronization
import TaaSCore

/// Virtualenvs kept under a cache folder, one per (interpreter version, sorted dependencies).
///
/// A virtualenv only works at the path where it was made, so each is made in place under its key,
/// while holding a lock file (two runs of the same scope never build it twice), and is marked
/// complete only when pip has succeeded; an incomplete or damaged one is removed and made again.
struct VirtualEnvironmentCache {
    var python: String
    var directory: URL

    struct Entry {
        var path: URL
        var key: String
        var pythonVersion: String
        var reused: Bool
    }

    /// The cached virtualenv with `dependencies`, made (once) when missing; `progress` hears how far
    /// pip is while it installs them.
    func environment(
        for dependencies: [String],
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws(SandboxError) -> Entry {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw SandboxError(
                .missingTool,
                "\(python) is missing; the venv sandbox needs Debian's python3: apt-get install python3 python3-venv"
            )
        }
        let pythonVersion = try await InterpreterVersion.of(python, cacheDirectory: directory)
        let sorted = dependencies.map { $0.trimmingCharacters(in: .whitespaces) }.sorted()
        // "wheels-only": a virtualenv made before taas refused source distributions may hold one built on the host.
        let material = (["python \(pythonVersion)", "wheels-only"] + sorted).joined(separator: "\n")
        let key = SHA256.hash(data: Data(material.utf8)).prefix(10).hexText
        let path = directory.appendingPathComponent(key)
        let marker = path.appendingPathComponent(".taas-complete")

        if isComplete(path: path, marker: marker) {
            return Entry(path: path, key: key, pythonVersion: pythonVersion, reused: true)
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try HostTools.makeTraversable(directory)
        } catch {
            throw SandboxError(.environmentFailed, "cannot create the virtualenv cache \(directory.path): \(error)")
        }
        let lock = open(directory.appendingPathComponent("\(key).lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0 else {
            throw SandboxError(
                .environmentFailed,
                "cannot lock the virtualenv cache: \(String(cString: strerror(errno)))"
            )
        }
        defer { close(lock) }
        guard await HostTools.lockExclusively(lock) else {
            throw SandboxError(.environmentFailed, "interrupted while waiting for another run to make the virtualenv")
        }
        // Another run may have made it while this one waited.
        if isComplete(path: path, marker: marker) {
            return Entry(path: path, key: key, pythonVersion: pythonVersion, reused: true)
        }
        try? FileManager.default.removeItem(at: path)
        try? FileManager.default.removeItem(at: BytecodeSeeding.store(ofVirtualenv: path))
        let made = await HostTools.run(python, ["-m", "venv", path.path])
        guard made.exitCode == 0 else {
            try? FileManager.default.removeItem(at: path)
            throw SandboxError(
                .environmentFailed,
                "cannot make a virtualenv with \(python) (is python3-venv installed? apt-get install python3-venv): \(made.output.suffix(1500))"
            )
        }
        if !sorted.isEmpty {
            // In the new virtualenv's folder, so that nothing in taas's working directory is taken for a package.
            progress("installing \(sorted.count) dependenc\(sorted.count == 1 ? "y" : "ies") with pip (once)")
            let reader = Mutex(PipProgress())
            let pip = await HostTools.run(
                path.appendingPathComponent("bin/python").path,
                Self.pipInstallArguments(sorted),
                workingDirectory: path.path
            ) { line in
                if let status = reader.withLock({ $0.take(line) }) { progress(status) }
            }
            guard pip.exitCode == 0 else {
                try? FileManager.default.removeItem(at: path)
                throw SandboxError(.environmentFailed, VenvDependencyMessage.describe(pip.output, dependencies: sorted))
            }
        }
        _ = await HostTools.run("/bin/chmod", ["-R", "a+rX", path.path])
        let record = "python \(pythonVersion)\n" + sorted.joined(separator: "\n") + "\n"
        do { try Data(record.utf8).write(to: marker) } catch {
            throw SandboxError(.environmentFailed, "cannot complete the virtualenv \(path.path): \(error)")
        }
        return Entry(path: path, key: key, pythonVersion: pythonVersion, reused: false)
    }

    /// `pip install` of the scope's dependencies, from wheels only: pip runs as root on the host, and
    /// building a source distribution would run the package's own build backend there.
    static func pipInstallArguments(_ dependencies: [String]) -> [String] {
        ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--progress-bar", "off"]
            + HostPip.wheelsOnly
            + ["--"] + dependencies
    }

    /// Whether the virtualenv was finished and is still whole: its marker, its interpreter, its
    /// configuration and its library folder (a copy cut short or a cleaned-up cache loses some).
    private func isComplete(path: URL, marker: URL) -> Bool {
        FileManager.default.fileExists(atPath: marker.path)
            && FileManager.default.isExecutableFile(atPath: path.appendingPathComponent("bin/python").path)
            && FileManager.default.fileExists(atPath: path.appendingPathComponent("pyvenv.cfg").path)
            && FileManager.default.fileExists(atPath: path.appendingPathComponent("lib").path)
    }
}
