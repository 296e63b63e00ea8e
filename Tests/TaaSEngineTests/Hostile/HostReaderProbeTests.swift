import Foundation
import TaaSCore
import Testing

/// The host-reader battery: where taas, as root on the host, reads what a sandbox wrote or a
/// workspace planted. A sandbox process swaps its report for a link to a root-only host file or
/// for a FIFO; a workspace links its pytest configuration to a 20 GiB sparse host file; a step
/// tries to use the Docker sandbox's control folder. No host data may reach a report, no run may
/// hang, and taas's memory stays bounded.
@Suite(.serialized) struct HostReaderProbeTests {
    /// A root-only host file, as the security review used: a file of mode 0600 in a folder of
    /// mode 0700, holding a unique secret.
    struct HostSecret {
        let folder: URL
        let file: URL
        let text = "taas-host-secret-\(UUID().uuidString)"

        init(tag: String) throws {
            folder = URL(fileURLWithPath: "/var/tmp/taas-battery-private-\(tag)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            chmod(folder.path, 0o700)
            file = folder.appendingPathComponent("secret")
            try Data(text.utf8).write(to: file)
            chmod(file.path, 0o600)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    /// Where the artifacts folder is inside each sandbox.
    static func artifactsPath(_ sandbox: HostileSandbox) -> String {
        sandbox == .docker ? "/sandbox/artifacts" : "/taas/artifacts"
    }

    /// Every file under `folder`, with its text.
    static func files(under folder: URL) -> [(String, String)] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        return (enumerator?.allObjects as? [URL] ?? []).compactMap { url in
            guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
            return (url.path, String(decoding: data, as: UTF8.self))
        }
    }

    /// Issue 22, item 1: a process left running by setup swaps every scenario's JUnit artifact, in
    /// a loop, for a link to a root-only host file and for a FIFO, while taas reads them. Before
    /// taas read artifacts through descriptors, the link's target reached the reports in 26 of 200
    /// scenarios, and a FIFO blocked taas in `open()` for good.
    ///
    /// In the Docker sandbox the agent copies artifacts out with the same rule. (Copied out through
    /// the engine's archive endpoint, this swap loop made the endpoint time out and then hold the
    /// run's container, which could no longer be inspected or removed.)
    @Test(.timeLimit(.minutes(10)), arguments: HostileSandbox.available)
    func artifactsSwappedForLinksAndFIFOsNeitherLeakNorHang(sandbox: HostileSandbox) async throws {
        let tag = EscapeProbeTests.makeTag()
        let secret = try HostSecret(tag: tag)
        defer { secret.remove() }
        let ids = (1...40).map { String(format: "SWAP-%02d", $0) }
        // Each artifact alternates between a regular file and, for even scenarios, a link to the
        // secret, for odd ones a FIFO: a reader that checks and then opens by path meets a regular
        // file at the check and the link or FIFO at the open. Each swap is an atomic rename.
        let swapper = #"""
            import os, sys, time
            art, secret, tag, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
            names = ["SWAP-%02d.attempt-1.junit.xml" % i for i in range(1, count + 1)]
            staged = os.path.join(art, ".staged-" + tag)
            decoy = b'<testsuite><testcase name="decoy"/></testsuite>'
            end = time.time() + 900
            while time.time() < end:
                for index, name in enumerate(names):
                    for hostile in (False, True):
                        try:
                            if os.path.lexists(staged):
                                os.unlink(staged)
                            if not hostile:
                                with open(staged, "wb") as file:
                                    file.write(decoy)
                            elif index % 2 == 0:
                                os.symlink(secret, staged)
                            else:
                                os.mkfifo(staged)
                            os.replace(staged, os.path.join(art, name))
                        except OSError:
                            pass
            """#
        let fixture = try RunFixture(files: ["swap.py": swapper])
        defer { fixture.remove() }
        let scenarios = ids.map { id in
            #"""
            {"id": "\#(id)", "timeout_seconds": 4, "execution": {"runner": "junit",
             "command": "printf '<testsuite><testcase name=\"ok\"/></testsuite>' > r.xml", "target": "r.xml"}}
            """#
        }
        let setup =
            "python3 swap.py \(Self.artifactsPath(sandbox)) \(secret.file.path) \(tag) \(ids.count) >/dev/null 2>&1 &"
        let scope = """
            {"scope_id": "host-readers-swap", "environment": \(sandbox.environment()),
             "lifecycle": {"setup": [\(HostileScope.quote(setup))]},
             "scenarios": [\(scenarios.joined(separator: ",\n"))]}
            """
        let clock = ContinuousClock()
        let started = clock.now
        let report = try await fixture.run(scope, sandbox: sandbox.sandbox, jobs: 4)
        let elapsed = clock.now - started

        // It ended, in bounded time, with a report and every scenario judged.
        #expect(elapsed < .seconds(240), "the run took \(elapsed)")
        let written = try HostileChecks.writtenReport(fixture)
        #expect(written.scenarios.count == ids.count)
        #expect(report.scenarios.allSatisfy { $0.verdict != .skipped }, "\(report.errors)")
        // No host data anywhere: report.json, junit.xml, report.html, summary.md, the logs.
        let outputs = Self.files(under: fixture.output)
        #expect(
            outputs.contains { $0.0.hasSuffix("/junit.xml") } && outputs.contains { $0.0.hasSuffix("/report.html") }
        )
        for (path, text) in outputs {
            #expect(!text.contains(secret.text), "the root-only host file reached \(path)")
        }
        // Every sandbox says why it refused (taas reads the jail's folder itself; the agent copies the container's).
        let messages = report.scenarios.compactMap(\.message)
        let refused = messages.filter { $0.contains("symbolic link") || $0.contains("a FIFO") }
        let verdicts = Dictionary(grouping: report.scenarios, by: \.verdict.rawValue).mapValues(\.count)
        print(
            "\(sandbox): \(refused.count) of \(ids.count) artifacts refused as links or FIFOs in \(elapsed); verdicts \(verdicts)"
        )
        print("\(sandbox): messages \(Set(messages.map { String($0.prefix(160)) }))")
        #expect(!refused.isEmpty, "the swaps were never seen: \(messages)")
        try await HostileChecks.nothingRemains(report, markers: [tag], sandbox: sandbox)
    }

    /// Issue 22, item 8: a workspace `pytest.ini` that links to a 20 GiB sparse host file. The
    /// bytecode pass once read it whole (taas grew past 3 GiB) and answered a one-bit question
    /// about any host file. Now the link is never followed: `taas run` peaks at an idle run's
    /// memory, and the run passes.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "/usr/bin/time is not installed"))
    func aPytestConfigurationLinkedToAHugeHostFileIsNeverRead() throws {
        let tag = EscapeProbeTests.makeTag()
        let secret = try HostSecret(tag: tag)
        defer { secret.remove() }
        let huge = secret.folder.appendingPathComponent("huge.ini")
        let file = open(huge.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        try #require(file >= 0)
        _ = "[pytest]\nenable_assertion_pass_hook = true\n".withCString { write(file, $0, strlen($0)) }
        try #require(ftruncate(file, 20 << 30) == 0)
        close(file)

        let fixture = try RunFixture(files: [
            "tests/test_ok.py": "def test_ok():\n    assert 1 + 1 == 2\n",
            "scope.json": #"""
            {"scope_id": "host-readers-config-link", "scenarios": [{"id": "unit", "timeout_seconds": 120,
              "execution": {"runner": "pytest", "target": "tests"}}]}
            """#,
        ])
        defer { fixture.remove() }
        for name in ["pytest.ini", "pyproject.toml", "setup.cfg"] {
            try FileManager.default.createSymbolicLink(
                atPath: fixture.workspace.appendingPathComponent(name).path,
                withDestinationPath: huge.path
            )
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = [
            "-f", "taas-peak-rss-kb %M", TestEnvironment.taasBinary.path, "run",
            fixture.workspace.appendingPathComponent("scope.json").path, "--sandbox", "jail", "--out",
            fixture.output.path,
            "--quiet",
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let clock = ContinuousClock()
        let started = clock.now
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let elapsed = clock.now - started
        #expect(process.terminationStatus == 0, "\(stderr)")
        let peak = stderr.split(separator: "\n").last { $0.hasPrefix("taas-peak-rss-kb ") }
            .flatMap { Int($0.split(separator: " ")[1]) }
        let peakKB = try #require(peak, "no peak in: \(stderr)")
        print("taas peak RSS with pytest.ini linked to a 20 GiB host file: \(peakKB / 1024) MiB in \(elapsed)")
        #expect(peakKB < HarnessMemoryTests.ceilingKB, "taas peaked at \(peakKB / 1024) MiB")
        #expect(elapsed < .seconds(120))
        let report = try HostileChecks.writtenReport(fixture)
        #expect(report.verdict == .pass, "\(HostileChecks.output("unit", in: report))")
        #expect(report.sandbox.settings["bytecode"]?.contains("compiled by taas") == true)
    }

    /// Issue 22, item 6: the Docker sandbox's control folder on the host was mode 0777 and mounted
    /// read-write: a step wrote a 50 MB file, a FIFO and links there, and with no sticky bit a local
    /// user could swap the agent's socket. Now it is private to taas's user: a step can neither
    /// list it nor write anything into it.
    @Test(.enabled(if: DockerAvailability.engineAnswers, "no Docker engine answers"))
    func theDockerControlFolderIsClosedToSteps() async throws {
        let probe = HostileScope.Probe(
            id: "control-folder",
            script: """
                fail=0
                ls -ld /taas/ctl
                if ls /taas/ctl >/dev/null 2>&1; then echo "ESCAPED: listed the control folder"; fail=1; fi
                if (echo x > /taas/ctl/planted) 2>/dev/null; then echo "ESCAPED: wrote a file"; fail=1; fi
                if head -c 52428800 /dev/zero > /taas/ctl/big 2>/dev/null; then echo "ESCAPED: wrote 50 MB"; fail=1; fi
                if mkfifo /taas/ctl/fifo 2>/dev/null; then echo "ESCAPED: made a FIFO"; fail=1; fi
                if ln -s / /taas/ctl/link 2>/dev/null; then echo "ESCAPED: made a link"; fail=1; fi
                if ln -sf /tmp/fake.sock /taas/ctl/agent.sock 2>/dev/null; then echo "ESCAPED: replaced the socket"; fail=1; fi
                mode=$(stat -c %a /taas/ctl)
                test "$mode" = 700 || { echo "the control folder has mode $mode"; fail=1; }
                exit $fail
                """
        )
        let fixture = try RunFixture(files: HostileScope.files([probe, AbuseProbeTests.after]))
        defer { fixture.remove() }
        let report = try await fixture.run(
            HostileScope.scope("host-readers-control", [probe, AbuseProbeTests.after], in: .docker),
            sandbox: HostileSandbox.docker.sandbox
        )
        #expect(report.verdict == .pass, "\(HostileChecks.output("control-folder", in: report)) \(report.errors)")
        #expect(report.sandbox.settings["control_folder"]?.contains("0700") == true)
        _ = try HostileChecks.writtenReport(fixture)
        try await HostileChecks.nothingRemains(report, markers: [], sandbox: .docker)
    }
}
