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
            "-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], 'w'); z.writestr('demo/__init__.py', 'x = 1\\n' * 500); z.close()",
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
            ["requests>=2", "pytest"], into: URL(fileURLWithPath: "/cache/wheels/k"), pythonVersion: "3.11.2")
        let only = arguments.firstIndex(of: "--only-binary")
        #expect(only.map { arguments[$0 + 1] } == ":all:")
        #expect(!arguments.contains("--no-binary") && !arguments.contains { $0.hasPrefix("--no-binary=") })
        #expect(arguments.contains("--python-version") && arguments.contains("cp311"))
        #expect(Array(arguments.suffix(3)) == ["--", "requests>=2", "pytest"])
        #expect(arguments.prefix(3) == ["-m", "pip", "download"])
    }
}
