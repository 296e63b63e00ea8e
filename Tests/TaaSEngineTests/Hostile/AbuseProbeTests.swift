import Foundation
import TaaSCore
import Testing

/// The abuse battery: bombs against the sandbox's limits, floods of output, steps that never end,
/// ignore SIGTERM or daemonize, a setup that leaves processes behind and a teardown that hangs, in
/// the real jail, venv and Docker sandboxes. Each run must end within its timeouts, report what
/// happened, and leave nothing behind; a scenario after the abuse shows that the sandbox survived.
@Suite(.serialized) struct AbuseProbeTests {
    /// A `sleep` argument that is unique to one test, so its processes can be found on the host.
    static func makeSleepMarker() -> String { "7\(Int.random(in: 100...999)).\(Int.random(in: 10000...99999))" }

    static let after = HostileScope.Probe(id: "after", script: "echo still-here")

    @Test(arguments: HostileSandbox.available)
    func bombsStopAtTheSandboxsLimits(sandbox: HostileSandbox) async throws {
        // Forks until refused; children wait, so they all count at once. Passes when the limit held.
        let forks = HostileScope.Probe(
            id: "fork-limit",
            script: #"""
                exec python3 - <<'EOF'
                import os, sys, time
                children = []
                try:
                    for _ in range(1000):
                        pid = os.fork()
                        if pid == 0:
                            time.sleep(60); os._exit(0)
                        children.append(pid)
                except OSError as error:
                    print("fork refused after", len(children), "children:", error)
                for pid in children:
                    os.kill(pid, 9)
                sys.exit(0 if len(children) < int(os.environ["PIDS"]) else 1)
                EOF
                """#
        )
        // The classic: the pids limit holds it, and the timeout ends it if the shell does not give up.
        let forkBomb = HostileScope.Probe(id: "fork-bomb", script: "b() { b | b; }; b", timeoutSeconds: 5)
        // Allocates and touches memory until refused (jail: RLIMIT_AS) or killed (container: cgroup).
        let memory = HostileScope.Probe(
            id: "memory-bomb",
            script: #"""
                exec python3 - <<'EOF'
                import os, sys
                chunks = []
                try:
                    while len(chunks) < 256:
                        chunks.append(b"x" * (8 << 20))
                        print("allocated", len(chunks) * 8, "MiB", flush=True)
                except MemoryError:
                    print("refused at", len(chunks) * 8, "MiB")
                    sys.exit(0)
                print("ESCAPED: 2 GiB allocated"); sys.exit(1)
                EOF
                """#
        )
        // Writes one file until refused: at most the file-size limit in the workspace (on the host's
        // disk), at most the tmpfs's size in /tmp.
        func filler(_ id: String, _ path: String) -> HostileScope.Probe {
            HostileScope.Probe(
                id: id,
                script: #"""
                    exec python3 - <<'EOF'
                    import errno, os, sys
                    path, written, chunk = "\#(path)", 0, b"\0" * (8 << 20)
                    try:
                        with open(path, "wb") as out:
                            while written < (2 << 30):
                                out.write(chunk); out.flush(); written += len(chunk)
                        print("ESCAPED: wrote 2 GiB"); code = 1
                    except OSError as error:
                        print("refused after", written >> 20, "MiB:", error)
                        code = 0 if error.errno in (errno.EFBIG, errno.ENOSPC) else 1
                    os.remove(path)
                    sys.exit(code)
                    EOF
                    """#
            )
        }
        let probes = [
            forks, forkBomb, memory, filler("fill-workspace", "fill.bin"), filler("fill-tmp", "/tmp/fill.bin"),
            Self.after,
        ]
        let fixture = try RunFixture(files: HostileScope.files(probes))
        defer { fixture.remove() }
        let report = try await fixture.run(
            HostileScope.scope("abuse-bombs", probes, in: sandbox, variables: ["PIDS": String(HostileSandbox.pids)]),
            sandbox: sandbox.sandbox
        )

        #expect(
            HostileChecks.scenario("fork-limit", in: report)?.verdict == .pass,
            "\(HostileChecks.output("fork-limit", in: report))"
        )
        let bomb = HostileChecks.scenario("fork-bomb", in: report)
        // The shell gives up when a fork is refused, or the timeout ends it: either way it fails in time.
        #expect(bomb?.verdict == .fail, "\(HostileChecks.output("fork-bomb", in: report))")
        // In a jail the allocation is refused (MemoryError); in a container the process is killed.
        let memoryResult = HostileChecks.scenario("memory-bomb", in: report)
        let memoryOutput = HostileChecks.output("memory-bomb", in: report)
        let killed = ["signal 9", "exit code 137"].contains {
            memoryResult?.attempts.last?.message?.contains($0) == true
        }
        #expect(memoryResult?.verdict == .pass || killed, "\(memoryOutput)")
        #expect(!memoryOutput.contains("ESCAPED"))
        let largest =
            memoryOutput.split(separator: "\n").compactMap { line -> Int? in
                line.hasPrefix("allocated ") ? Int(line.split(separator: " ")[1]) : nil
            }.max() ?? 0
        #expect(
            largest <= HostileSandbox.memoryMB,
            "allocated \(largest) MiB under a \(HostileSandbox.memoryMB) MiB limit"
        )
        for id in ["fill-workspace", "fill-tmp"] {
            let output = HostileChecks.output(id, in: report)
            #expect(!output.contains("ESCAPED"), "\(id): \(output)")
            #expect(HostileChecks.scenario(id, in: report)?.verdict != .error, "\(id): \(output)")
        }
        #expect(
            HostileChecks.scenario("after", in: report)?.verdict == .pass,
            "\(HostileChecks.output("after", in: report)) \(report.errors)"
        )
        _ = try HostileChecks.writtenReport(fixture)
        try await HostileChecks.nothingRemains(report, markers: [], sandbox: sandbox)
    }

    @Test(arguments: HostileSandbox.available)
    func floodsOfOutputAreCappedAndTheReportStaysValid(sandbox: HostileSandbox) async throws {
        // A generous time limit: the full suite runs many sandboxes side by side on two cores, and a
        // flood is CPU-bound; a timeout here would say "slow machine", not "the cap is wrong".
        let probes = [
            // 1 GiB of output; the log keeps the cap, the report a tail.
            HostileScope.Probe(
                id: "flood",
                script: "head -c 1073741824 /dev/zero | tr '\\0' 'y'",
                timeoutSeconds: 600
            ),
            // One line of 256 MiB with no newline at all.
            HostileScope.Probe(
                id: "long-line",
                script: "head -c 268435456 /dev/zero | tr '\\0' 'x' >&2",
                timeoutSeconds: 600
            ),
            // Bytes that are neither UTF-8 nor text, on both streams.
            HostileScope.Probe(
                id: "garbage",
                script: "head -c 8388608 /dev/urandom; head -c 65536 /dev/urandom >&2; exit 1",
                timeoutSeconds: 600
            ),
            Self.after,
        ]
        let fixture = try RunFixture(files: HostileScope.files(probes))
        defer { fixture.remove() }
        let logLimit = 32 * 1024 * 1024
        let report = try await fixture.run(
            HostileScope.scope("abuse-floods", probes, in: sandbox),
            sandbox: sandbox.sandbox
        )

        let expected: [(id: String, verdict: Verdict)] = [
            ("flood", .pass), ("long-line", .pass), ("garbage", .fail), ("after", .pass),
        ]
        for (id, verdict) in expected {
            let result = HostileChecks.scenario(id, in: report)
            #expect(
                result?.verdict == verdict,
                "\(id): \(result?.durationMS ?? 0) ms; \(HostileChecks.output(id, in: report)); errors \(report.errors)"
            )
        }
        for scenario in report.scenarios {
            for attempt in scenario.attempts {
                #expect(attempt.output.stdoutTail.utf8.count <= 8192 && attempt.output.stderrTail.utf8.count <= 8192)
            }
        }
        let logs = try FileManager.default.contentsOfDirectory(
            at: fixture.output.appendingPathComponent("logs"),
            includingPropertiesForKeys: [.fileSizeKey]
        )
        for log in logs {
            let size = try log.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0
            #expect(size <= logLimit + 4096, "\(log.lastPathComponent) is \(size) bytes")
        }
        // Both report files are written and parse.
        let written = try HostileChecks.writtenReport(fixture)
        #expect(written.scenarios.count == probes.count)
        let junit = fixture.output.appendingPathComponent("junit.xml").path
        let parse = Process()
        parse.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        parse.arguments = ["-c", "import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])", junit]
        try parse.run()
        parse.waitUntilExit()
        #expect(parse.terminationStatus == 0, "junit.xml does not parse")
        try await HostileChecks.nothingRemains(report, markers: [], sandbox: sandbox)
    }

    @Test(arguments: HostileSandbox.available)
    func stepsThatNeverEndIgnoreSigtermOrDaemonizeAreStopped(sandbox: HostileSandbox) async throws {
        let marker = Self.makeSleepMarker()
        let probes = [
            HostileScope.Probe(id: "never-ends", script: "sleep \(marker)", timeoutSeconds: 2),
            HostileScope.Probe(
                id: "ignores-term",
                script: "trap '' TERM; while :; do sleep \(marker); done",
                timeoutSeconds: 2
            ),
            // Leaves processes behind in a new session and through a double fork, then exits 0.
            HostileScope.Probe(
                id: "daemonizes",
                script: "setsid sleep \(marker) & (sleep \(marker) &) & nohup sleep \(marker) >/dev/null 2>&1 & exit 0"
            ),
            // The processes that the previous step left are gone.
            HostileScope.Probe(
                id: "gone",
                script: """
                    for dir in /proc/[0-9]*; do
                        if tr '\\0' ' ' < "$dir/cmdline" 2>/dev/null | grep -q "sleep \(marker)"; then echo "left: $dir"; exit 1; fi
                    done
                    """
            ),
        ]
        let fixture = try RunFixture(files: HostileScope.files(probes))
        defer { fixture.remove() }
        let report = try await fixture.run(
            HostileScope.scope("abuse-time", probes, in: sandbox),
            sandbox: sandbox.sandbox
        )

        for id in ["never-ends", "ignores-term"] {
            let result = HostileChecks.scenario(id, in: report)
            #expect(result?.verdict == .fail, "\(HostileChecks.output(id, in: report))")
            // Ended by its timeout and the stop that follows it (SIGTERM, 2 s, then SIGKILL).
            #expect(result?.attempts.last?.timedOut == true)
            #expect(
                result?.attempts.last?.message?.contains("timed out") == true,
                "\(HostileChecks.output(id, in: report))"
            )
        }
        #expect(HostileChecks.scenario("daemonizes", in: report)?.verdict == .pass)
        #expect(
            HostileChecks.scenario("gone", in: report)?.verdict == .pass,
            "\(HostileChecks.output("gone", in: report))"
        )
        _ = try HostileChecks.writtenReport(fixture)
        try await HostileChecks.nothingRemains(report, markers: ["sleep \(marker)"], sandbox: sandbox)
    }

    @Test(arguments: HostileSandbox.available)
    func aSetupThatLeavesProcessesAndATeardownThatHangsEndTheRun(sandbox: HostileSandbox) async throws {
        let marker = Self.makeSleepMarker()
        let probes = [HostileScope.Probe(id: "scenario", script: "echo ran")]
        let fixture = try RunFixture(files: HostileScope.files(probes))
        defer { fixture.remove() }
        let report = try await fixture.run(
            HostileScope.scope(
                "abuse-lifecycle",
                probes,
                in: sandbox,
                setup: ["sleep \(marker) & setsid sleep \(marker) & (sleep \(marker) &) &"],
                teardown: ["trap '' TERM; sleep \(marker)"],
                teardownTimeoutSeconds: 2
            ),
            sandbox: sandbox.sandbox
        )

        #expect(HostileChecks.scenario("scenario", in: report)?.verdict == .pass)
        #expect(report.verdict == .error)
        #expect(report.teardown.first?.timedOut == true)
        #expect(
            report.errors.contains { $0.phase == "teardown" && $0.message.contains("timed out") },
            "\(report.errors)"
        )
        _ = try HostileChecks.writtenReport(fixture)
        try await HostileChecks.nothingRemains(report, markers: ["sleep \(marker)"], sandbox: sandbox)
    }
}
