import Crypto
import Foundation
import NIOHTTP1
import TaaSCore
import TaaSFabric
import TaaSIntegrity
import TaaSTelemetry
import Testing

/// The Fabric's API on a real server on loopback, with real runs in the jail sandbox.
@Suite(.serialized) struct FabricServerTests {
    @Test func aPassingAndAFailingRunEndWithTheirVerdictsReportsAndEvents() async throws {
        try await LiveFabric.with { live in
            let workspace = try Scopes.workspace()
            let passing = try await live.submit(
                scope: Scopes.passing,
                workspace: workspace,
                labels: #"{"commit":"abc"}"#
            )
            #expect(passing.status == 202)
            let passID = try #require(try passing.json()["run_id"] as? String)
            #expect(passing.headers.first(name: "Location") == "/v1/runs/\(passID)")
            #expect(try passing.json()["status"] as? String == "queued")
            let failing = try await live.submit(scope: Scopes.failing, workspace: workspace)
            let failID = try #require(try failing.json()["run_id"] as? String)

            let events = try await live.events(of: passID)
            #expect(events.first?.contains(#""event":"run_started""#) == true)
            #expect(events.first?.contains(passID) == true)
            #expect(events.last?.contains(#""event":"run_finished""#) == true)
            #expect(events.last?.contains(#""verdict":"pass""#) == true)
            _ = try await live.events(of: failID)

            let pass = try await live.request(.GET, "/v1/runs/\(passID)").json()
            #expect(pass["status"] as? String == "finished")
            #expect(pass["verdict"] as? String == "pass")
            #expect((pass["labels"] as? [String: String]) == ["commit": "abc"])
            #expect(pass["finished_at"] is String)
            let fail = try await live.request(.GET, "/v1/runs/\(failID)").json()
            #expect(fail["verdict"] as? String == "fail")

            // The report files, as `taas run` writes them.
            let report = try TaaSReport.read(from: try await live.request(.GET, "/v1/runs/\(failID)/report").body)
            #expect(report.runID == failID)
            #expect(report.verdict == .fail)
            let html = try await live.request(.GET, "/v1/runs/\(failID)/report.html")
            #expect(html.status == 200 && html.text.contains("<header class=\"banner fail\">"))
            #expect(try await live.request(.GET, "/v1/runs/\(failID)/junit.xml").text.contains("<testsuite"))
            #expect(try await live.request(.GET, "/v1/runs/\(failID)/summary.md").text.contains("FAIL"))
            let logs = try FileManager.default.contentsOfDirectory(
                atPath: live.fabric.folder(of: failID).report.appendingPathComponent("logs").path
            )
            let log = try #require(logs.first)
            #expect(try await live.request(.GET, "/v1/runs/\(failID)/logs/\(log)").status == 200)
            #expect(try await live.request(.GET, "/v1/runs/\(failID)/logs/..%2F..%2Ffabric.sqlite").status == 404)
            #expect(try await live.request(.GET, "/v1/runs/nope").status == 404)

            // A late subscriber gets the past events, then the stream ends.
            let late = try await live.events(of: failID)
            #expect(late.count == events.count)
            #expect(late.last?.contains(#""verdict":"fail""#) == true)

            // The statistics.
            let scopes = try await live.request(.GET, "/v1/scopes").json()["scopes"] as? [[String: Any]]
            let demo = try #require(scopes?.first { $0["scope_id"] as? String == "fabric-demo" })
            #expect(demo["runs"] as? Int == 2)
            #expect(demo["pass_rate"] as? Double == 0.5)
            let cases = try await live.request(.GET, "/v1/scopes/fabric-demo/cases").json()["cases"] as? [[String: Any]]
            let command = try #require(cases?.first { $0["name"] as? String == "CMD-001" })
            #expect(command["runs"] as? Int == 2)
            #expect(command["passes"] as? Int == 1)
            #expect(command["failures"] as? Int == 1)
            // Both verdicts for the same workspace: flaky... but the scopes differ; the digest is the
            // workspace's, so the case counts as flaky once.
            #expect(command["flaky"] as? Int == 1)

            let metrics = try await live.request(.GET, "/metrics").text
            #expect(metrics.contains("taas_runs_total{verdict=\"pass\"} 1"))
            #expect(metrics.contains("taas_runs_total{verdict=\"fail\"} 1"))
            #expect(metrics.contains("taas_queue_depth 0"))
            #expect(metrics.contains("taas_run_duration_seconds_count 2"))
        }
    }

    @Test func eachRunIsATraceWhoseIdTheRunKeeps() async throws {
        let configure: @Sendable (inout FabricConfiguration) -> Void = {
            $0.telemetry = TraceRecorder(
                configuration: .success(TelemetryConfiguration(export: nil, resource: [])),
                version: "test"
            )
        }
        try await LiveFabric.with(configure: configure) { live in
            let submitted = try await live.submit(scope: Scopes.failing, workspace: try Scopes.workspace())
            let id = try #require(try submitted.json()["run_id"] as? String)
            _ = try await live.events(of: id)
            let run = try await live.request(.GET, "/v1/runs/\(id)").json()
            let traceID = try #require(run["trace_id"] as? String)
            #expect(traceID.count == 32 && traceID.allSatisfy(\.isHexDigit))
            let report = try TaaSReport.read(from: try await live.request(.GET, "/v1/runs/\(id)/report").body)
            #expect(report.telemetry?.traceID == traceID)
            // The run's trace is served beside its report; every span is in the run's trace, and the
            // failed scenario is an error span.
            let trace = try await live.request(.GET, "/v1/runs/\(id)/trace.json")
            #expect(trace.status == 200)
            let spans = try OTLPTraceDocument.read(from: trace.body, file: "trace.json").spans
            #expect(!spans.isEmpty && spans.allSatisfy { $0.traceId == traceID })
            #expect(spans.contains { $0.name == "CMD-001" && $0.status?.code == 2 })
        }
    }

    @Test func anInvalidScopeIs422WithTheProblemsOfValidate() async throws {
        try await LiveFabric.with { live in
            let scope = #"{"scope_id": "bad", "scenarios": [{"id": "X", "command": 42}]}"#
            let answer = try await live.submit(scope: scope, workspace: try Scopes.workspace())
            #expect(answer.status == 422)
            let problems = try #require(try answer.json()["problems"] as? [[String: String]])
            var expected: [[String: String]] = []
            do { _ = try TestScope.parse(Data(scope.utf8)) } catch let error as InvalidScopeError {
                expected = error.errors.map { ["path": $0.path.description, "message": $0.message] }
            }
            #expect(!expected.isEmpty)
            #expect(problems == expected)
            // Nothing was queued, no folder was left.
            #expect(try await live.fabric.store.queuedCount() == 0)
            let runs = try FileManager.default.contentsOfDirectory(
                atPath: live.folder.appendingPathComponent("runs").path
            )
            #expect(runs.isEmpty)

            let notGzip = try await live.submit(scope: Scopes.passing, workspace: Data(repeating: 65, count: 100))
            #expect(notGzip.status == 400)
            #expect(notGzip.text.contains("not a gzip-compressed tar archive"))
            let traversal = try await live.submit(
                scope: Scopes.passing,
                workspace: try Archives.python(#"add(tar, "../../escaped", b"x")"#)
            )
            #expect(traversal.status == 400)
            #expect(traversal.text.contains("leaves the workspace"))
            let bomb = try await live.submit(
                scope: Scopes.passing,
                workspace: try Archives.python(#"add(tar, "zeros", bytes(600 << 20))"#)
            )
            #expect(bomb.status == 413)
            #expect(
                FileManager.default.fileExists(
                    atPath: live.folder.deletingLastPathComponent().appendingPathComponent("escaped").path
                ) == false
            )
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: live.folder.appendingPathComponent("runs").path)
                    .isEmpty
            )
        }
    }

    @Test func aFullQueueAnswers429AndCancellingEndsRunsWithVerdictError() async throws {
        let configure: @Sendable (inout FabricConfiguration) -> Void = { $0.queueLimit = 1 }
        try await LiveFabric.with(workers: 1, configure: configure) { live in
            let workspace = try Scopes.workspace()
            let first = try await live.submit(scope: Scopes.slow(30), workspace: workspace).json()["run_id"] as! String
            try await live.waitFor(first, status: "running")
            let second = try await live.submit(scope: Scopes.passing, workspace: workspace)
            #expect(second.status == 202)
            let secondID = try #require(try second.json()["run_id"] as? String)
            let third = try await live.submit(scope: Scopes.passing, workspace: workspace)
            #expect(third.status == 429)
            #expect(third.headers.first(name: "Retry-After") == "5")

            // A queued run is cancelled at once.
            let cancelled = try await live.request(.DELETE, "/v1/runs/\(secondID)")
            #expect(cancelled.status == 202)
            #expect(try cancelled.json()["status"] as? String == "cancelled")
            #expect(try cancelled.json()["verdict"] as? String == "error")

            // A running run is interrupted; its teardown still runs.
            #expect(try await live.request(.DELETE, "/v1/runs/\(first)").status == 202)
            let events = try await live.events(of: first)
            #expect(events.last?.contains(#""verdict":"error""#) == true)
            let run = try await live.request(.GET, "/v1/runs/\(first)").json()
            #expect(run["status"] as? String == "cancelled")
            #expect(run["verdict"] as? String == "error")
            let report = try TaaSReport.read(from: try await live.request(.GET, "/v1/runs/\(first)/report").body)
            #expect(report.teardown.first?.succeeded == true)
            #expect(report.teardown.first?.output.stdoutTail.contains("teardown-ran") == true)
        }
    }

    @Test func twentyRunsFromFourConcurrentClientsAllEndWithTheirVerdicts() async throws {
        try await LiveFabric.with(workers: 2) { live in
            let workspace = try Scopes.workspace()
            let submitted = try await withThrowingTaskGroup(of: [(String, Verdict)].self) { group in
                for client in 0..<4 {
                    group.addTask {
                        var runs: [(String, Verdict)] = []
                        for index in 0..<5 {
                            let passes = (client + index) % 3 != 0
                            let answer = try await live.submit(
                                scope: passes ? Scopes.passing : Scopes.failing,
                                workspace: workspace,
                                labels: #"{"client":"c\#(client)"}"#
                            )
                            guard answer.status == 202, let id = try answer.json()["run_id"] as? String else {
                                throw FabricTestError("submission refused: \(answer.status) \(answer.text)")
                            }
                            runs.append((id, passes ? .pass : .fail))
                        }
                        for (id, _) in runs { _ = try await live.events(of: id) }
                        return runs
                    }
                }
                var all: [(String, Verdict)] = []
                for try await runs in group { all += runs }
                return all
            }
            #expect(Set(submitted.map(\.0)).count == 20)
            for (id, expected) in submitted {
                let run = try await live.request(.GET, "/v1/runs/\(id)").json()
                #expect(run["status"] as? String == "finished", "\(id)")
                #expect(run["verdict"] as? String == expected.rawValue, "\(id)")
            }
            // The history in pages of 7, newest first, with nothing twice.
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await live.request(.GET, "/v1/runs?limit=7" + (cursor.map { "&cursor=\($0)" } ?? ""))
                    .json()
                seen += (page["runs"] as? [[String: Any]] ?? []).compactMap { $0["run_id"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen.count == 20 && Set(seen) == Set(submitted.map(\.0)))
            let clientRuns = try await live.request(.GET, "/v1/runs?label=client:c2").json()["runs"] as? [[String: Any]]
            #expect(clientRuns?.count == 5)
            let failures = try await live.request(.GET, "/v1/runs?verdict=fail").json()["runs"] as? [[String: Any]]
            #expect(failures?.count == submitted.count { $0.1 == .fail })
        }
    }

    @Test func theAuthMatrix() async throws {
        try await LiveFabric.with { live in
            var tokens: [TokenRole: String] = [:]
            for role in TokenRole.allCases {
                let (token, record) = TokenRecord.generate(name: role.rawValue, role: role)
                try await live.fabric.store.insert(record)
                tokens[role] = token
            }
            let workspace = try Scopes.workspace()
            #expect(try await live.request(.GET, "/v1/health").status == 200)
            #expect(try await live.request(.GET, "/v1/runs").status == 401)
            #expect(try await live.request(.GET, "/v1/runs", token: "taas_wrong").status == 401)
            #expect(try await live.request(.GET, "/metrics").status == 401)
            #expect(try await live.submit(scope: Scopes.passing, workspace: workspace).status == 401)
            #expect(try await live.request(.GET, "/v1/runs", token: tokens[.read]).status == 200)
            // The dashboard's login form keeps the token in a cookie: a wrong one is refused as a wrong header is.
            #expect(try await live.request(.GET, "/v1/runs", cookie: "taas_token=taas_wrong").status == 401)
            #expect(try await live.request(.GET, "/v1/runs", cookie: "taas_token=\(tokens[.read]!)").status == 200)
            #expect(try await live.request(.GET, "/metrics", token: tokens[.read]).status == 200)
            let readSubmits = try await live.submit(scope: Scopes.passing, workspace: workspace, token: tokens[.read])
            #expect(readSubmits.status == 403)
            #expect(readSubmits.text.contains("needs a submit token"))
            for role in [TokenRole.submit, .worker, .admin] {
                let answer = try await live.submit(scope: Scopes.passing, workspace: workspace, token: tokens[role])
                #expect(answer.status == 202, "\(role)")
                let id = try #require(try answer.json()["run_id"] as? String)
                #expect(try await live.request(.DELETE, "/v1/runs/\(id)", token: tokens[.read]).status == 403)
                _ = try await live.events(of: id, token: tokens[.read])
            }
            #expect(try await live.fabric.store.revokeToken(named: "submit"))
            #expect(
                try await live.submit(scope: Scopes.passing, workspace: workspace, token: tokens[.submit]).status == 401
            )
        }
    }

    @Test func uploadedReportsAreStoredOnlyWhenTheirSignatureHolds() async throws {
        let generated = SigningKeys.generate()
        let (privateRaw, publicRaw) = (generated.rawRepresentation, generated.publicKey.rawRepresentation)
        let configure: @Sendable (inout FabricConfiguration) -> Void = { $0.trustedKeys = [publicRaw] }
        try await LiveFabric.with(configure: configure) { live in
            // A report of a real run, as a CI job's `taas run --sign` makes it.
            let run = try await live.submit(scope: Scopes.failing, workspace: try Scopes.workspace())
            let id = try #require(try run.json()["run_id"] as? String)
            _ = try await live.events(of: id)
            var report = try TaaSReport.read(from: try await live.request(.GET, "/v1/runs/\(id)/report").body)
            report.runID = "ci-\(UUID().uuidString.prefix(8))"
            let unsigned = try report.jsonData()
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: privateRaw)
            let signed = try ReportSignature.sign(unsigned, with: key)

            let refused = try await live.request(.POST, "/v1/reports", contentType: "application/json", body: unsigned)
            #expect(refused.status == 422)
            #expect(refused.text.contains("not signed"))
            let tampered = Data(
                String(decoding: signed, as: UTF8.self).replacingOccurrences(of: "\"fail\"", with: "\"pass\"").utf8
            )
            #expect(
                try await live.request(.POST, "/v1/reports", contentType: "application/json", body: tampered).status
                    == 422
            )
            let garbage = try await live.request(
                .POST,
                "/v1/reports",
                contentType: "application/json",
                body: Data("{}".utf8)
            )
            #expect(garbage.status == 422)

            let stored = try await live.request(.POST, "/v1/reports", contentType: "application/json", body: signed)
            #expect(stored.status == 201)
            let view = try await live.request(.GET, "/v1/runs/\(report.runID)").json()
            #expect(view["origin"] as? String == "uploaded")
            #expect(view["verdict"] as? String == "fail")
            #expect(try await live.request(.GET, "/v1/runs/\(report.runID)/report").body == signed)
            #expect(try await live.request(.GET, "/v1/runs/\(report.runID)/report.html").status == 200)
            #expect(
                try await live.request(.POST, "/v1/reports", contentType: "application/json", body: signed).status
                    == 409
            )
        }
    }
}

extension LiveFabric {
    /// Waits (polling, at most 60 s) until the run has `status`.
    func waitFor(_ runID: String, status: String) async throws {
        for _ in 0..<600 {
            if try await request(.GET, "/v1/runs/\(runID)").json()["status"] as? String == status { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FabricTestError("run \(runID) never reached \(status)")
    }
}
