import Foundation
import TaaSCore
import Testing

/// The escape battery: scripts that try to leave the sandbox — write to the host, read its
/// secrets, reach its network, see or signal its processes — run in the real jail, venv and
/// Docker sandboxes. Each probe exits 0 when everything it tried was refused; each test also checks
/// the host from outside, the verdict, the written report, and that nothing of the run remains.
@Suite(.serialized) struct EscapeProbeTests {
    /// A tag unique to one test, in every name a probe tries to make.
    static func makeTag() -> String { "b\(UInt32.random(in: 0...UInt32.max))" }

    @Test(arguments: HostileSandbox.available)
    func writesOutsideTheWorkspaceNeverReachTheHost(sandbox: HostileSandbox) async throws {
        let tag = Self.makeTag()
        let home = FileManager.default.homeDirectoryForCurrentUser.path
        // A folder of the host that a planted link points to, with a file that must stay as it is.
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("taas-battery-outside-\(tag)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try "canary".write(to: outside.appendingPathComponent("canary"), atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: outside) }

        let probe = HostileScope.Probe(
            id: "write-outside",
            script: """
                fail=0
                name="taas-probe-$PROBE_TAG"
                # Folders of the sandbox's read-only root: every write must be refused.
                for dir in / /etc /usr /usr/bin /root /var "$HOST_HOME"; do
                    if (echo x > "$dir/$name") 2>/dev/null; then echo "ESCAPED: wrote $dir/$name"; fail=1; fi
                done
                # Paths that may exist privately inside the sandbox (its own /tmp): the test checks the host.
                mkdir -p "$HOST_WORKSPACE" 2>/dev/null; (echo x > "$HOST_WORKSPACE/$name") 2>/dev/null
                (echo x > "/tmp/$name") 2>/dev/null
                (echo x > "$OUTSIDE/$name") 2>/dev/null; (echo x > "$OUTSIDE/canary") 2>/dev/null
                # Links planted in the workspace that point outside it.
                for link in outside-link etc-link up-link; do
                    if (echo x > "$link/$name") 2>/dev/null; then echo "wrote through $link (checked on the host)"; fi
                done
                if (echo x > etc-link/$name) 2>/dev/null; then echo "ESCAPED: wrote /etc through a link"; fail=1; fi
                # The workspace copy itself is writable.
                echo x > "$name" || { echo "the workspace copy is not writable"; fail=1; }
                exit $fail
                """
        )
        var files = HostileScope.files([probe])
        files["keep.txt"] = "original"
        let fixture = try RunFixture(files: files)
        defer { fixture.remove() }
        // Docker's archive API refuses a relative link that climbs out of the copy (the run would end in
        // `error` naming the link), so that one is planted in the jail and venv workspaces only.
        var links = [("outside-link", outside.path), ("etc-link", "/etc")]
        if sandbox != .docker { links.append(("up-link", "../../../../../..")) }
        for (link, target) in links {
            try FileManager.default.createSymbolicLink(
                atPath: fixture.workspace.appendingPathComponent(link).path,
                withDestinationPath: target
            )
        }
        let before = try FileManager.default.contentsOfDirectory(atPath: fixture.workspace.path).sorted()

        let report = try await fixture.run(
            HostileScope.scope(
                "escape-write",
                [probe],
                in: sandbox,
                variables: [
                    "PROBE_TAG": tag, "HOST_HOME": home, "HOST_WORKSPACE": fixture.workspace.path,
                    "OUTSIDE": outside.path,
                ]
            ),
            sandbox: sandbox.sandbox
        )

        #expect(report.verdict == .pass, "\(HostileChecks.output("write-outside", in: report)) \(report.errors)")
        let name = "taas-probe-\(tag)"
        for dir in [
            "/", "/etc", "/usr", "/usr/bin", "/root", "/var", home, "/tmp", outside.path, fixture.workspace.path,
        ] {
            let path = URL(fileURLWithPath: dir).appendingPathComponent(name).path
            #expect(!FileManager.default.fileExists(atPath: path), "the probe wrote \(path) on the host")
            try? FileManager.default.removeItem(atPath: path)
        }
        #expect(try String(contentsOf: outside.appendingPathComponent("canary"), encoding: .utf8) == "canary")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["canary"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.workspace.path).sorted() == before)
        #expect(
            try String(contentsOf: fixture.workspace.appendingPathComponent("keep.txt"), encoding: .utf8) == "original"
        )
        _ = try HostileChecks.writtenReport(fixture)
        try await HostileChecks.nothingRemains(report, markers: [tag], sandbox: sandbox)
    }

    @Test(arguments: HostileSandbox.available)
    func hostSecretsAndEnvironmentStayOutOfTheSandbox(sandbox: HostileSandbox) async throws {
        let tag = Self.makeTag()
        let secret = "taas-secret-value-\(UUID().uuidString)"
        let homeSecret = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(
            ".taas-battery-secret-\(tag)"
        )
        let rootSecret = URL(fileURLWithPath: "/root/.taas-battery-secret-\(tag)")
        var madeFiles = [homeSecret]
        try secret.write(to: homeSecret, atomically: true, encoding: .utf8)
        if getuid() == 0, homeSecret.path != rootSecret.path {
            try secret.write(to: rootSecret, atomically: true, encoding: .utf8)
            madeFiles.append(rootSecret)
        }
        defer { for file in madeFiles { try? FileManager.default.removeItem(at: file) } }
        // A variable of the harness's own environment: the sandbox must not inherit it.
        let hostVariable = "TAAS_BATTERY_HOST_SECRET_\(tag)"
        setenv(hostVariable, secret, 1)
        defer { unsetenv(hostVariable) }

        let probe = HostileScope.Probe(
            id: "read-secrets",
            script: """
                fail=0
                for file in "$HOME_SECRET" "$ROOT_SECRET"; do
                    if cat "$file" 2>/dev/null; then echo "ESCAPED: read $file"; fail=1; fi
                done
                if env | grep -q "TAAS_BATTERY_HOST_SECRET"; then echo "ESCAPED: a variable of the host"; fail=1; fi
                for environ in /proc/[0-9]*/environ; do
                    if tr '\\0' '\\n' < "$environ" 2>/dev/null | grep -q "TAAS_BATTERY_HOST_SECRET"; then
                        echo "ESCAPED: a variable of the host in $environ"; fail=1
                    fi
                done
                test "$NAMED_BY_SCOPE" = "visible" || { echo "the scope's own variable is missing"; fail=1; }
                exit $fail
                """
        )
        let fixture = try RunFixture(files: HostileScope.files([probe]))
        defer { fixture.remove() }
        let report = try await fixture.run(
            HostileScope.scope(
                "escape-secrets",
                [probe],
                in: sandbox,
                variables: [
                    "HOME_SECRET": homeSecret.path, "ROOT_SECRET": rootSecret.path, "NAMED_BY_SCOPE": "visible",
                ]
            ),
            sandbox: sandbox.sandbox
        )

        #expect(report.verdict == .pass, "\(HostileChecks.output("read-secrets", in: report))")
        let written = try HostileChecks.writtenReport(fixture)
        let logs = try FileManager.default.contentsOfDirectory(
            at: fixture.output.appendingPathComponent("logs"),
            includingPropertiesForKeys: nil
        )
        for log in logs {
            #expect(
                !(try String(contentsOf: log, encoding: .utf8)).contains(secret),
                "the secret reached \(log.lastPathComponent)"
            )
        }
        #expect(!String(decoding: try written.jsonData(), as: UTF8.self).contains(secret))
        try await HostileChecks.nothingRemains(report, markers: [tag], sandbox: sandbox)
    }

    @Test(arguments: HostileSandbox.available)
    func theNetworkIsOnlyTheSandboxsOwnLoopback(sandbox: HostileSandbox) async throws {
        let listener = HostListener()
        // Python for what the shell cannot do. The interface list is checked first, and nothing is
        // looked up unless it is only `lo`: no query can leave a sandbox that has no other interface.
        let probe = HostileScope.Probe(
            id: "network",
            script: #"""
                exec python3 - <<'EOF'
                import os, socket, sys
                names = [name for _, name in socket.if_nameindex()]
                print("interfaces:", names)
                if names != ["lo"]:
                    print("ESCAPED: an interface other than lo"); sys.exit(1)
                routes = open("/proc/net/route").read().splitlines()[1:]
                if routes:
                    print("ESCAPED: IPv4 routes", routes); sys.exit(1)
                try:
                    v6 = [l for l in open("/proc/net/ipv6_route").read().splitlines() if l.split()[-1] != "lo"]
                except OSError:
                    v6 = []
                if v6:
                    print("ESCAPED: IPv6 routes off lo", v6); sys.exit(1)
                try:
                    socket.create_connection(("127.0.0.1", int(os.environ["HOST_PORT"])), 2).close()
                    print("ESCAPED: reached the host's loopback listener"); sys.exit(1)
                except OSError as error:
                    print("host listener unreachable:", error)
                try:
                    print("ESCAPED: a name resolved:", socket.getaddrinfo("taas-battery-probe.invalid", 80)); sys.exit(1)
                except socket.gaierror as error:
                    print("no name resolution:", error)
                # The sandbox's loopback is its own and works.
                server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen(1)
                socket.create_connection(server.getsockname(), 2).close()
                print("own loopback works")
                EOF
                """#
        )
        let fixture = try RunFixture(files: HostileScope.files([probe]))
        defer { fixture.remove() }
        let report = try await fixture.run(
            HostileScope.scope("escape-network", [probe], in: sandbox, variables: ["HOST_PORT": String(listener.port)]),
            sandbox: sandbox.sandbox
        )
        #expect(report.verdict == .pass, "\(HostileChecks.output("network", in: report))")
        #expect(report.scenarios.first?.attempts.last?.output.stdoutTail.contains("own loopback works") == true)
        #expect(!listener.hasPendingConnection(), "a connection from the sandbox reached the host's listener")
        _ = try HostileChecks.writtenReport(fixture)
        try await HostileChecks.nothingRemains(report, markers: ["taas-battery-probe"], sandbox: sandbox)
        withExtendedLifetime(listener) {}
    }

    @Test(arguments: HostileSandbox.available)
    func hostProcessesCanBeNeitherSeenNorSignalled(sandbox: HostileSandbox) async throws {
        // The host process that the probes look for and try to kill is the harness itself: the tests
        // run it in this process, whose command line names the test bundle.
        let marker = "MaestroTaaSPackage"
        let hostPID = getpid()

        let look = HostileScope.Probe(
            id: "look",
            script: """
                fail=0
                count=0
                for dir in /proc/[0-9]*; do
                    count=$((count + 1))
                    if tr '\\0' ' ' < "$dir/cmdline" 2>/dev/null | grep -q "$MARKER"; then
                        echo "ESCAPED: sees the host's process $dir"; fail=1
                    fi
                done
                echo "processes visible: $count"
                test "$count" -lt 30 || { echo "ESCAPED: sees $count processes"; fail=1; }
                kill -KILL "$HOST_PID" 2>/dev/null && echo "killed pid $HOST_PID of the sandbox, if any"
                exit $fail
                """
        )
        // Signals every process it may: only the sandbox's own can be reached.
        let signalAll = HostileScope.Probe(
            id: "signal-all",
            script: "kill -TERM -1; kill -KILL -1; sleep 5; echo survived"
        )
        let after = HostileScope.Probe(id: "after", script: "echo still-here")
        let fixture = try RunFixture(files: HostileScope.files([look, signalAll, after]))
        defer { fixture.remove() }
        let report = try await fixture.run(
            HostileScope.scope(
                "escape-signals",
                [look, signalAll, after],
                in: sandbox,
                variables: ["MARKER": marker, "HOST_PID": String(hostPID)]
            ),
            sandbox: sandbox.sandbox
        )

        #expect(
            HostileChecks.scenario("look", in: report)?.verdict == .pass,
            "\(HostileChecks.output("look", in: report))"
        )
        // The step that signalled everything took itself down; the run goes on and reports it.
        #expect(HostileChecks.scenario("signal-all", in: report)?.verdict != .pass)
        #expect(
            HostileChecks.scenario("after", in: report)?.verdict == .pass,
            "\(HostileChecks.output("after", in: report)) \(report.errors)"
        )
        // This process, the harness, is still here to check.
        #expect(kill(hostPID, 0) == 0)
        _ = try HostileChecks.writtenReport(fixture)
        try await HostileChecks.nothingRemains(report, markers: [], sandbox: sandbox)
    }
}
