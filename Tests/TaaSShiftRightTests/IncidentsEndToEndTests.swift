import Foundation
import TaaSCore
import TaaSEngine
import TaaSShiftRight
import TaaSTesting
import Testing

/// From real production-like traffic to law: the shop behind Debian's nginx writes a genuine combined
/// access log; `taas incidents` turns it into a fragment, `taas scope merge` adds it to a scope whose
/// service is the shop, and the real engine runs that scope in the jail: the incident's scenario fails
/// on the broken build and passes on the good one.
@Suite(.serialized) struct IncidentsEndToEndTests {
    static let taasBinary = TestTools.repositoryRoot.appendingPathComponent(".build/debug/taas")

    /// Runs the built `taas` with its output in a log file.
    static func taas(_ arguments: [String], in folder: TestFolder) throws -> (status: Int32, output: String) {
        try OwnedProcess.run(
            taasBinary.path,
            arguments,
            log: folder.url.appendingPathComponent("taas-\(UUID().uuidString).log")
        )
    }

    /// Records traffic through nginx in front of the broken shop; returns the access log's path.
    static func recordAccessLog(in folder: TestFolder) async throws -> String {
        let shopPort = try LoopbackPort.free()
        let shop = try await Shop.start(port: shopPort, build: "broken", in: folder)
        defer { shop.kill() }
        let nginx = try await Nginx.start(upstream: shopPort, in: folder)
        defer { nginx.process.kill() }
        let base = "http://127.0.0.1:\(nginx.port)"
        #expect(try Curl.send("\(base)/health", in: folder) == 200)
        #expect(try Curl.send("\(base)/reports/17", in: folder) == 500)
        #expect(try Curl.send("\(base)/orders/1", in: folder) == 200)
        #expect(try Curl.send("\(base)/reports/42", in: folder) == 500)
        #expect(try Curl.send("\(base)/search?q=tea&api_key=SECRET123", in: folder) == 200)
        #expect(
            try Curl.send(
                "\(base)/orders",
                method: "POST",
                headers: ["Content-Type: application/json"],
                body: #"{"item": "tea"}"#,
                in: folder
            ) == 201
        )
        nginx.process.kill()
        return nginx.accessLog
    }

    @Test(
        .enabled(if: Nginx.isInstalled, "Debian's nginx is not installed (apt-get install nginx-light)"),
        .timeLimit(.minutes(5))
    )
    func anIncidentInARealAccessLogBecomesAScenarioThatFailsOnTheBrokenBuildAndPassesOnTheGoodOne() async throws {
        let folder = try TestFolder("incidents-e2e")
        defer { folder.remove() }
        let accessLog = try await Self.recordAccessLog(in: folder)
        let logText = try String(contentsOfFile: accessLog, encoding: .utf8)
        #expect(logText.split(separator: "\n").count == 6, "\(logText)")

        // taas incidents access.log
        let fragmentFile = folder.path("incidents.json")
        let extracted = try Self.taas(["incidents", accessLog, "--output", fragmentFile], in: folder)
        #expect(extracted.status == 0, "\(extracted.output)")
        #expect(
            extracted.output.contains("1 incident class (2 failed requests) in 6 requests in 1 file"),
            "\(extracted.output)"
        )
        let fragmentText = try String(contentsOfFile: fragmentFile, encoding: .utf8)
        #expect(!fragmentText.contains("SECRET123"))
        let fragment = try JSONParser.parse(Data(fragmentText.utf8)).value
        guard case .array(let incidents) = fragment["incidents"], case .array(let scenarios) = fragment["scenarios"]
        else {
            Issue.record("not a fragment: \(fragmentText)")
            return
        }
        #expect(scenarios.count == 1)
        #expect(incidents.count == 1)
        #expect(incidents.first?["method"] == .string("GET"))
        #expect(incidents.first?["route"] == .string("/reports/{id}"))
        #expect(incidents.first?["count"] == .number(JSONNumber("2")))
        #expect(incidents.first?["signature"] == .string("5xx"))
        guard case .string(let incidentID) = scenarios.first?["id"] else {
            Issue.record("no scenario id")
            return
        }

        // taas scope merge SCOPE FRAGMENT, into a scope whose service is the shop.
        let workspace = try TestFolder("incidents-workspace")
        defer { workspace.remove() }
        try FileManager.default.copyItem(at: Shop.script, to: workspace.url.appendingPathComponent("shop.py"))
        let scopeFile = try workspace.write(
            "scope.json",
            """
            {
              "scope_id": "shop-regressions",
              "services": [
                {"name": "shop", "command": "python3 shop.py 8080 --build broken",
                 "ready": {"http": "http://127.0.0.1:8080/health", "timeout_seconds": 30}}
              ],
              "scenarios": [
                {"id": "HEALTH", "type": "smoke", "http": {"url": "http://127.0.0.1:8080/health", "expect": {"status": 200}}}
              ]
            }

            """
        )
        let merged = try Self.taas(["scope", "merge", scopeFile, fragmentFile], in: folder)
        #expect(merged.status == 0, "\(merged.output)")
        #expect(merged.output.contains("added 1 scenario (\(incidentID)), skipped 0"), "\(merged.output)")
        #expect(merged.output.contains("taas lock"), "\(merged.output)")
        let again = try Self.taas(["scope", "merge", scopeFile, fragmentFile], in: folder)
        #expect(again.output.contains("added 0 scenarios, skipped 1"), "\(again.output)")

        // The real engine, in the jail: broken build → the incident's scenario fails.
        let broken = try await Self.run(
            scopeFile,
            workspace: workspace.url,
            output: folder.url.appendingPathComponent("out-broken")
        )
        #expect(broken.scenarios.first { $0.id == "HEALTH" }?.verdict == .pass, "\(broken.scenarios)")
        let failing = broken.scenarios.first { $0.id == incidentID }
        #expect(failing?.verdict == .fail, "\(String(describing: failing))")
        #expect(failing?.message?.contains("500") == true, "\(failing?.message ?? "")")
        #expect(broken.verdict == .fail)

        // Good build → it passes.
        let goodScope = try String(contentsOfFile: scopeFile, encoding: .utf8)
            .replacingOccurrences(of: "--build broken", with: "--build good")
        let goodFile = try workspace.write("good.json", goodScope)
        let good = try await Self.run(
            goodFile,
            workspace: workspace.url,
            output: folder.url.appendingPathComponent("out-good")
        )
        #expect(good.scenarios.first { $0.id == incidentID }?.verdict == .pass, "\(good.scenarios)")
        #expect(good.verdict == .pass, "\(good.errors)")
    }

    /// Runs a scope file through the real engine in the jail sandbox.
    static func run(_ scopeFile: String, workspace: URL, output: URL) async throws -> TaaSReport {
        let (scope, _) = try Judge.loadScope(at: URL(fileURLWithPath: scopeFile))
        var options = RunOptions(workspace: workspace, outputDirectory: output)
        options.offline = true
        return await Harness(options: options).execute(scope)
    }

    @Test func aFileWithoutIncidentsPrintsSoAndWritesAnEmptyFragment() throws {
        let folder = try TestFolder("incidents-none")
        defer { folder.remove() }
        let log = try folder.write(
            "ok.log",
            #"127.0.0.1 - - [01/Dec/2026:07:03:23 +0000] "GET /orders/1 HTTP/1.1" 200 90 "-" "curl/7.88.1""# + "\n"
        )
        let fragmentFile = folder.path("none.json")
        let result = try Self.taas(["incidents", log, "-o", fragmentFile], in: folder)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("no incident found in 1 request in 1 file"), "\(result.output)")
        let fragment = try JSONParser.parse(Data(contentsOf: URL(fileURLWithPath: fragmentFile))).value
        #expect(fragment["scenarios"] == .array([]))

        let notes = try folder.write("notes.txt", "hello\nworld\n")
        let unknown = try Self.taas(["incidents", notes], in: folder)
        #expect(unknown.status == 2)
        #expect(
            unknown.output.contains("notes.txt: cannot tell its format") && unknown.output.contains("--format"),
            "\(unknown.output)"
        )
        let malformed = try Self.taas(["incidents", "--format", "access-log", notes], in: folder)
        #expect(malformed.status == 2)
        #expect(malformed.output.contains("notes.txt: line 1: expected an access log line"), "\(malformed.output)")
        let invalidText = #"{"scope_id": "bad", "scenarios": [{"id": "X", "http": {"url": "http://example.com/"}}]}"#
        let invalid = try folder.write("bad.json", invalidText)
        let refused = try Self.taas(["scope", "merge", invalid, fragmentFile], in: folder)
        #expect(refused.status == 3, "\(refused.output)")
        #expect(refused.output.contains("scenarios[0].http.url"), "\(refused.output)")
        #expect(try String(contentsOfFile: invalid, encoding: .utf8) == invalidText, "nothing is written")
        let remote = try Self.taas(["incidents", log, "--base-url", "http://shop.example"], in: folder)
        #expect(remote.status == 2)
        #expect(remote.output.contains("is not loopback"), "\(remote.output)")
    }
}
