import Foundation

/// Workspace archives for the tests, made by the real `tar` and by Python's `tarfile` (for the
/// hostile ones that `tar` refuses to make).
enum Archives {
    /// A `.tar.gz` of `files` (relative path → contents), made with `tar -czf`.
    static func tarGz(_ files: [String: String]) throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taas-fabric-ws-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: folder) }
        for (path, contents) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(contents.utf8).write(to: url)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathExtension("tar.gz")
        defer { try? FileManager.default.removeItem(at: out) }
        try run("/usr/bin/tar", ["-czf", out.path, "-C", folder.path, "."])
        return try Data(contentsOf: out)
    }

    /// A `.tar.gz` made by a Python `tarfile` script; the script gets `tar` (an open TarFile) and `io`.
    static func python(_ script: String) throws -> Data {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taas-fabric-\(UUID().uuidString).tar.gz"
        )
        defer { try? FileManager.default.removeItem(at: out) }
        let program = """
            import io, sys, tarfile
            def add(tar, name, data=b"", kind=tarfile.REGTYPE, link=""):
                info = tarfile.TarInfo(name); info.type = kind; info.linkname = link; info.size = len(data)
                tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
            with tarfile.open(sys.argv[1], "w:gz") as tar:
            \(script.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            """
        try run("/usr/bin/python3", ["-c", program, out.path])
        return try Data(contentsOf: out)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FabricTestError("\(executable) \(arguments.prefix(2)) exited with \(process.terminationStatus)")
        }
    }
}
