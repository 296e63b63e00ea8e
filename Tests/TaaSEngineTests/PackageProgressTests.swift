import Foundation
import Synchronization
import TaaSCore
import TaaSEngine
import TaaSSandboxes
import Testing

/// Progress while pip builds a virtualenv or a wheelhouse: packages done of those found, then the
/// install, read from pip's own output.
@Suite struct PackageProgressTests {
    /// pip 23's output for `pip install requests==2.32.3` into a new virtualenv (as taas runs it).
    static let install = """
        Looking in links: /opt/wheels
        Collecting requests==2.32.3
          Downloading requests-2.32.3-py3-none-any.whl (64 kB)
        Collecting charset-normalizer<4,>=2 (from requests==2.32.3)
          Downloading charset_normalizer-3.5.3-cp311-cp311-manylinux1_x86_64.whl (263 kB)
        Collecting idna<4,>=2.5 (from requests==2.32.3)
          Using cached idna-3.20-py3-none-any.whl (69 kB)
        Installing collected packages: idna, charset-normalizer, requests
        Successfully installed charset-normalizer-3.5.3 idna-3.20 requests-2.32.3
        """

    @Test func pipInstallIsFollowedPackageByPackage() {
        var progress = PipProgress()
        let statuses = Self.install.split(separator: "\n").compactMap { progress.take(String($0)) }
        #expect(
            statuses == [
                "0/1 package (requests)", "1/1 package (requests)", "1/2 packages (charset-normalizer)",
                "2/2 packages (charset-normalizer)", "2/3 packages (idna)", "3/3 packages (idna)",
                "installing 3 packages",
            ]
        )
    }

    @Test func pipDownloadCountsFilesAlreadyThere() {
        var progress = PipProgress()
        let lines = [
            "Collecting iniconfig", "  File was already downloaded /tmp/dl/iniconfig-2.3.1-py3-none-any.whl",
            "Successfully downloaded iniconfig",
        ]
        #expect(lines.compactMap { progress.take($0) } == ["0/1 package (iniconfig)", "1/1 package (iniconfig)"])
    }

    /// Records the `.progress` events of a run.
    final class ProgressRecorder: RunObserver {
        let seen = Mutex<[String]>([])
        func handle(_ event: RunEvent) {
            if case .progress(let text) = event { seen.withLock { $0.append(text) } }
        }
    }

    @Test func aNewVirtualenvReportsItsPackagesAsPipInstallsThem() async throws {
        let fixture = try RunFixture(files: ["check.py": "import iniconfig\n"])
        defer { fixture.remove() }
        // A cache of its own: the virtualenv is made now, not reused.
        let cache = fixture.root.appendingPathComponent("cache")
        let recorder = ProgressRecorder()
        let report = try await fixture.run(
            #"{"scope_id": "progress", "environment": {"type": "venv", "dependencies": ["iniconfig"]}, "scenarios": [{"id": "IMPORT", "command": "python check.py"}]}"#,
            sandbox: VenvSandbox(),
            observer: recorder
        ) { $0.cacheDirectory = cache }
        #expect(report.verdict == .pass, "\(report.errors) \(report.scenarios.map(\.message))")
        let seen = recorder.seen.withLock { $0 }
        #expect(seen.first == "venv: installing 1 dependency with pip (once)", "\(seen)")
        #expect(seen.contains("venv: 1/1 package (iniconfig)"), "\(seen)")
        #expect(seen.last == "venv: installing 1 package", "\(seen)")
    }
}
