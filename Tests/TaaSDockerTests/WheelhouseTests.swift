import Foundation
import Testing

@testable import TaaSDocker

/// A damaged wheelhouse in the cache (a wheel cut short) is not taken as complete, so it is made again.
@Suite struct WheelhouseTests {
    @Test func aTruncatedWheelMakesTheWheelhouseIncomplete() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taas-wheels-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // A real zip archive, made by Python's zipfile as pip's wheels are.
        let wheel = folder.appendingPathComponent("demo-1.0-py3-none-any.whl")
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        make.arguments = [
            "-c",
            "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], 'w'); z.writestr('demo/__init__.py', 'x = 1\\n' * 500); z.close()",
            wheel.path,
        ]
        try make.run()
        make.waitUntilExit()
        #expect(!Wheelhouse.isComplete(folder), "no marker yet")
        try Data("done".utf8).write(to: folder.appendingPathComponent(".taas-complete"))
        #expect(Wheelhouse.isComplete(folder))
        // Half-written: the end of the archive is missing.
        let data = try Data(contentsOf: wheel)
        try data.prefix(data.count / 2).write(to: wheel)
        #expect(!Wheelhouse.isCompleteZip(wheel))
        #expect(!Wheelhouse.isComplete(folder))
    }

    /// pip on the host downloads wheels only (never a source distribution, whose build backend would
    /// run as root on the host), for the container's Python, with the dependencies after `--`.
    @Test func theDownloadTakesWheelsOnlyForTheContainersPython() {
        let arguments = Wheelhouse.downloadArguments(
            ["requests>=2", "pytest"],
            into: URL(fileURLWithPath: "/cache/wheels/k"),
            pythonVersion: "3.11.2"
        )
        let only = arguments.firstIndex(of: "--only-binary")
        #expect(only.map { arguments[$0 + 1] } == ":all:")
        #expect(!arguments.contains("--no-binary") && !arguments.contains { $0.hasPrefix("--no-binary=") })
        #expect(arguments.contains("--python-version") && arguments.contains("cp311"))
        #expect(Array(arguments.suffix(3)) == ["--", "requests>=2", "pytest"])
        #expect(arguments.prefix(3) == ["-m", "pip", "download"])
    }

    /// The real pip with the wheelhouse's arguments, offered only a source distribution whose in-tree
    /// build backend writes a marker when imported: pip refuses it and the backend never runs (plain
    /// `pip download` of the same folder runs it, so the fixture is real).
    @Test func aSourceDistributionIsNeverBuiltOnTheHost() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "taas-wheelhouse-evil-\(UUID().uuidString)"
        )
        let links = root.appendingPathComponent("links")
        let marker = root.appendingPathComponent("BACKEND-RAN")
        try FileManager.default.createDirectory(at: links, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let name = "taas_evil_" + UUID().uuidString.prefix(8).lowercased()
        let make = #"""
            import io, sys, tarfile
            links, name, marker = sys.argv[1:4]
            files = {
                "pyproject.toml": '[build-system]\nrequires = []\nbuild-backend = "evil"\nbackend-path = ["."]\n',
                "PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
                "evil.py": f"open({marker!r}, 'w').write('ran')\ndef get_requires_for_build_wheel(c=None): return []\n",
            }
            with tarfile.open(f"{links}/{name}-1.0.tar.gz", "w:gz") as archive:
                for path, text in files.items():
                    info = tarfile.TarInfo(f"{name}-1.0/{path}")
                    info.size = len(text.encode())
                    archive.addfile(info, io.BytesIO(text.encode()))
            """#
        func python(_ arguments: [String]) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["PIP_NO_INDEX": "1", "PIP_FIND_LINKS": links.path]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(try python(["-c", make, links.path, name, marker.path]) == 0)
        let status = try python(
            Wheelhouse.downloadArguments([name], into: root.appendingPathComponent("wheels"), pythonVersion: "3.11.2")
        )
        #expect(status != 0)
        #expect(!FileManager.default.fileExists(atPath: marker.path), "the backend ran on the host")
        _ = try python([
            "-m", "pip", "download", "--no-input", "--quiet", "--dest", root.appendingPathComponent("plain").path, name,
        ])
        #expect(
            FileManager.default.fileExists(atPath: marker.path),
            "plain pip did not run the backend: the fixture proves nothing"
        )
    }
}
