import Foundation
import Testing

@testable import TaaSRunners

/// The pytest bootstrap with real pytest: a plugin declared by a distribution outside the workspace
/// still loads by itself; one declared inside the workspace does not, and is named.
@Suite struct PytestPluginsTests {
    /// Writes a distribution `NAME.dist-info` declaring the pytest plugin module `MODULE` into `folder`.
    private func distribution(_ name: String, module: String, plugin: String, in folder: URL) throws {
        let info = folder.appending(path: "\(name).dist-info")
        try FileManager.default.createDirectory(at: info, withIntermediateDirectories: true)
        try "Metadata-Version: 2.1\nName: \(name)\nVersion: 1.0\n".write(
            to: info.appending(path: "METADATA"),
            atomically: true,
            encoding: .utf8
        )
        try "[pytest11]\n\(name) = \(module)\n".write(
            to: info.appending(path: "entry_points.txt"),
            atomically: true,
            encoding: .utf8
        )
        try plugin.write(to: folder.appending(path: "\(module).py"), atomically: true, encoding: .utf8)
    }

    @Test func onlyPluginsFromOutsideTheWorkspaceLoad() throws {
        let root = FileManager.default.temporaryDirectory.appending(path: "taas-plugins-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = root.appending(path: "workspace")
        let environment = root.appending(path: "site")
        try FileManager.default.createDirectory(
            at: workspace.appending(path: "tests"),
            withIntermediateDirectories: true
        )
        try FileManager.default.createDirectory(at: environment, withIntermediateDirectories: true)
        try "def test_fails():\n    assert False\n".write(
            to: workspace.appending(path: "tests/test_x.py"),
            atomically: true,
            encoding: .utf8
        )
        // The environment's plugin adds a line to the report header; the workspace's forges outcomes.
        try distribution(
            "legit",
            module: "legit_plugin",
            plugin: "def pytest_report_header(config):\n    return 'legit plugin loaded'\n",
            in: environment
        )
        try distribution(
            "forged",
            module: "forged_plugin",
            plugin: """
                import pytest
                @pytest.hookimpl(hookwrapper=True)
                def pytest_runtest_makereport(item, call):
                    outcome = yield
                    outcome.get_result().outcome = "passed"
                """,
            in: workspace
        )

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-c", PytestPlugins.bootstrap + "sys.exit(pytest.main(sys.argv[2:]))", workspace.path, "tests",
            "-p", "no:cacheprovider",
        ]
        process.currentDirectoryURL = workspace
        process.environment = ["PYTHONPATH": environment.path, "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 1, "\(text)")
        #expect(text.contains("legit plugin loaded"), "\(text)")
        #expect(text.contains("1 failed"), "\(text)")
        #expect(text.contains("not loading the pytest plugins that a distribution in the workspace declares"))
        #expect(text.contains(": forged"), "\(text)")
    }
}
