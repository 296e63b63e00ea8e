import Foundation
import TaaSCore
import TaaSSandboxes
import Testing

/// A scope's dependencies never run code as root on the host: paths, URLs and `@` references are
/// refused by the contract, and a package whose only distribution is a source distribution with a
/// malicious in-tree build backend is not built (pip takes wheels only), so its backend never runs.
///
/// The package is served from a local `--find-links` folder (`PIP_FIND_LINKS`, `PIP_NO_INDEX` in
/// the environment of the `taas` process); its backend writes a marker file when imported.
@Suite struct DependencyBuildTests {
    /// A folder with `NAME-1.0.tar.gz` whose PEP 517 backend writes `marker` as soon as pip imports it.
    struct MaliciousIndex {
        let root: URL
        let links: URL
        let marker: URL
        let name: String

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("taas-evil-\(UUID().uuidString)")
            links = root.appendingPathComponent("links")
            marker = root.appendingPathComponent("BACKEND-RAN")
            name = "taas_evil_" + UUID().uuidString.prefix(8).lowercased()
            try FileManager.default.createDirectory(at: links, withIntermediateDirectories: true)
            let script = #"""
                import io, sys, tarfile
                links, name, marker = sys.argv[1:4]
                files = {
                    "pyproject.toml": f'[build-system]\nrequires = []\nbuild-backend = "evilbackend"\nbackend-path = ["."]\n'
                                      f'[project]\nname = "{name}"\nversion = "1.0"\n',
                    "PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
                    "evilbackend.py": f"open({marker!r}, 'w').write('ran as uid ' + str(__import__('os').getuid()))\n"
                                      "def get_requires_for_build_wheel(config_settings=None): return []\n"
                                      "def prepare_metadata_for_build_wheel(d, config_settings=None): raise SystemExit('no')\n"
                                      "def build_wheel(d, config_settings=None, metadata_directory=None): raise SystemExit('no')\n",
                }
                with tarfile.open(f"{links}/{name}-1.0.tar.gz", "w:gz") as archive:
                    for path, text in files.items():
                        data = text.encode()
                        info = tarfile.TarInfo(f"{name}-1.0/{path}")
                        info.size = len(data)
                        archive.addfile(info, io.BytesIO(data))
                """#
            let status = try Self.python(["-c", script, links.path, name, marker.path], environment: [:]).status
            #expect(status == 0)
        }

        /// pip's variables that make it use only this folder.
        var pipEnvironment: [String: String] { ["PIP_NO_INDEX": "1", "PIP_FIND_LINKS": links.path] }

        var backendRan: Bool { FileManager.default.fileExists(atPath: marker.path) }

        func remove() { try? FileManager.default.removeItem(at: root) }

        static func python(
            _ arguments: [String],
            environment: [String: String]
        ) throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
    }

    /// The fixture is real: pip without the wheels-only rule imports the backend (so the test below can fail).
    @Test func withoutTheRulePipRunsTheBackend() throws {
        let index = try MaliciousIndex()
        defer { index.remove() }
        let destination = index.root.appendingPathComponent("download")
        _ = try MaliciousIndex.python(
            ["-m", "pip", "download", "--no-input", "--quiet", "--dest", destination.path, "--", index.name],
            environment: index.pipEnvironment
        )
        #expect(index.backendRan, "pip did not run the fixture's backend: the fixture proves nothing")
    }

    /// With taas's options pip refuses the source distribution: nothing is built, nothing runs.
    @Test func theHostPipOptionsRefuseTheSourceDistribution() throws {
        let index = try MaliciousIndex()
        defer { index.remove() }
        let destination = index.root.appendingPathComponent("download")
        let result = try MaliciousIndex.python(
            ["-m", "pip", "download", "--no-input", "--quiet", "--dest", destination.path] + HostPip.wheelsOnly
                + ["--", index.name],
            environment: index.pipEnvironment
        )
        #expect(result.status != 0)
        #expect(!index.backendRan, "the malicious backend ran on the host")
    }

    /// The real `taas` with the venv sandbox: the dependency is an `error` that says taas takes wheels
    /// only, and the backend never ran.
    @Test func aVenvDependencyWithOnlyAMaliciousSdistIsAnErrorAndNeverBuilt() throws {
        let index = try MaliciousIndex()
        defer { index.remove() }
        let fixture = try RunFixture(files: [
            "scope.json":
                #"{"scope_id": "evil-sdist", "environment": {"type": "venv", "dependencies": ["\#(index.name)==1.0"]}, "#
                + #""scenarios": [{"id": "S", "command": "true"}]}"#
        ])
        defer { fixture.remove() }
        var environment = index.pipEnvironment
        environment["TAAS_CACHE_DIR"] = index.root.appendingPathComponent("cache").path
        let result = try CommandLineTests.taas(
            [
                "run", fixture.workspace.appendingPathComponent("scope.json").path, "--sandbox", "venv", "--out",
                fixture.output.path, "--quiet",
            ],
            in: fixture.root,
            environment: environment
        )
        #expect(!index.backendRan, "the malicious backend ran on the host")
        let report = try HostileChecks.writtenReport(fixture)
        #expect(report.verdict == .error, "\(result.stdout)\(result.stderr)")
        let message = report.errors.first { $0.phase == "sandbox" }?.message ?? ""
        #expect(message.contains(index.name) && message.contains("wheels only"), "\(message)")
    }

    /// The same package named by path or by URL never reaches pip: the scope is invalid (exit code 3),
    /// naming the JSON path.
    @Test(arguments: [
        "./pkg", "pkg @ file:///tmp/pkg", "file:///tmp/pkg.tar.gz", "-e .", "pkg.tar.gz",
        "git+https://example.invalid/pkg.git", "--index-url=http://127.0.0.1:1/ pkg",
    ])
    func aDependencyByPathOrURLIsAnInvalidScope(_ specifier: String) throws {
        let fixture = try RunFixture()
        defer { fixture.remove() }
        let scope = fixture.root.appendingPathComponent("scope.json")
        let quoted = String(decoding: try JSONEncoder().encode(specifier), as: UTF8.self)
        try Data(
            #"{"scope_id": "s", "environment": {"type": "venv", "dependencies": [\#(quoted)]}, "scenarios": [{"id": "A", "command": "true"}]}"#
                .utf8
        )
        .write(to: scope)
        let result = try CommandLineTests.taas(["run", scope.path, "--sandbox", "venv", "--out", fixture.output.path])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("environment.dependencies[0]"), "\(result.stderr)")
        #expect(result.stderr.contains("requirement specifier by name"), "\(result.stderr)")
    }
}
