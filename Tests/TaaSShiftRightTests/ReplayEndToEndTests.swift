import Foundation
import TaaSCore
import TaaSShiftRight
import Testing

/// Genuine recordings (mitmdump in front of `shop.py --build good`) replayed through the real
/// engine, in the jail, against the good build and the changed one; and `taas replay` itself.
@Suite(.serialized) struct ReplayEndToEndTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("taas-replay-\(UUID().uuidString)")

    @Test func theGoodBuildPassesAndTheTimestampsAndRequestIDsAreNoise() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let recording = try ShopRecording(in: root.appendingPathComponent("recording"))
        let exchanges = try HAR.load(from: recording.har.path).exchanges(file: recording.har.path)
        #expect(
            exchanges.map { "\($0.method) \($0.response?.status ?? 0)" } == [
                "GET 200", "GET 200", "POST 201", "GET 200", "GET 200",
            ]
        )
        let workspace = try ReplayWorkspace(root: root, build: "good")
        let outcome = try await workspace.replay(recording.har)
        let report = outcome.report
        #expect(report.verdict == .pass, "\(report.scenarios.map { "\($0.id): \($0.message ?? "")" }) \(report.errors)")
        #expect(
            report.scenarios.map(\.id) == [
                "REPLAY-0001-GET-orders", "REPLAY-0002-GET-orders", "REPLAY-0003-POST-orders", "REPLAY-0004-GET-search",
                "REPLAY-0005-GET-health",
            ]
        )
        let orders = try #require(outcome.document.routes.first { $0.route == "GET /orders/{id}" })
        #expect(orders.exchanges == 2)
        #expect(orders.noise.contains("$.created_at"))
        #expect(orders.noise.contains("$.request_id"))
        #expect(!orders.noise.contains("$.price"))
        let post = try #require(outcome.document.routes.first { $0.route == "POST /orders" })
        #expect(post.noise.contains("$.id"))
        #expect(outcome.document.exchanges.allSatisfy { $0.replayedStatus.count == 2 })
        let written = try JSONDecoder().decode(ReplayDocument.self, from: Data(contentsOf: outcome.documentFile))
        #expect(written == outcome.document)
        for file in ["report.json", "summary.md", "report.html", "junit.xml", "replay.json"] {
            #expect(
                FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent(file).path),
                "\(file)"
            )
        }
    }

    @Test func theChangedBuildFailsTheOrdersAndNamesThePriceWithBothValues() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let recording = try ShopRecording(in: root.appendingPathComponent("recording"))
        let workspace = try ReplayWorkspace(root: root, build: "changed")
        let outcome = try await workspace.replay(recording.har)
        let report = outcome.report
        #expect(report.verdict == .fail)
        let verdicts = Dictionary(uniqueKeysWithValues: report.scenarios.map { ($0.id, $0.verdict) })
        #expect(verdicts["REPLAY-0001-GET-orders"] == .fail)
        #expect(verdicts["REPLAY-0002-GET-orders"] == .fail)
        #expect(verdicts["REPLAY-0003-POST-orders"] == .pass)
        #expect(verdicts["REPLAY-0004-GET-search"] == .pass)
        #expect(verdicts["REPLAY-0005-GET-health"] == .pass)
        let first = try #require(report.scenarios.first)
        #expect(first.message == "GET /orders/1: $.price: recorded 12.5, got 13.0")
        #expect(first.cases.first?.message == "$.price: recorded 12.5, got 13.0")
        let summary = try String(contentsOf: workspace.output.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(summary.contains("$.price: recorded 12.5, got 13.0"))
        #expect(outcome.document.exchanges[0].differences == ["$.price: recorded 12.5, got 13.0"])
        #expect(outcome.document.routes.first { $0.route == "GET /orders/{id}" }?.failed == 2)
    }

    /// The `taas` executable built beside the tests.
    static var taas: URL { IncidentsEndToEndTests.taasBinary }

    @Test func taasReplayExitsWithTheVerdict() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let recording = try ShopRecording(in: root.appendingPathComponent("recording"))
        func replay(_ workspace: ReplayWorkspace, _ extra: [String] = []) throws -> (status: Int32, output: String) {
            try OwnedProcess.run(
                Self.taas.path,
                [
                    "replay", recording.har.path, "--scope", workspace.scopeFile.path, "--out", workspace.output.path,
                    "--sandbox", "jail", "--cache-dir", ReplayWorkspace.cacheDirectory.path,
                ] + extra
            )
        }
        let timing = root.appendingPathComponent("timing.json")
        try ReplayWorkspace.rulesFile.write(to: timing, atomically: true, encoding: .utf8)
        let good = try replay(
            ReplayWorkspace(root: root, build: "good"),
            ["--service", "shop", "--noise", timing.path]
        )
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("replay: 5 exchanges, 5 passed, 0 failed"))
        #expect(good.output.contains("noise of GET /orders/{id}: "))
        let changedWorkspace = try ReplayWorkspace(root: root, build: "changed")
        let changed = try replay(
            changedWorkspace,
            ["--service", "shop", "--concurrency", "2", "--noise", timing.path]
        )
        #expect(changed.status == 1, "\(changed.output)")
        #expect(changed.output.contains("$.price: recorded 12.5, got 13.0"))
        let noise = root.appendingPathComponent("noise.json")
        try #"{"ignore": ["$.price", "$.took_ms"]}"#.write(to: noise, atomically: true, encoding: .utf8)
        let ignored = try replay(changedWorkspace, ["--service", "shop", "--noise", noise.path])
        #expect(ignored.status == 0, "\(ignored.output)")
        let unknown = try replay(changedWorkspace, ["--service", "api"])
        #expect(unknown.status == 2)
        #expect(
            unknown.output.contains(
                "taas: replay: the scope shop-replay has no service \"api\"; --service takes one of: shop"
            )
        )
    }

    @Test func theScopesLockIsCheckedAsTaasRunChecksItAndNeverChanged() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let recording = try ShopRecording(in: root.appendingPathComponent("recording"))
        let workspace = try ReplayWorkspace(root: root, build: "good")
        let lock = try OwnedProcess.run(
            Self.taas.path,
            ["lock", workspace.scopeFile.path, "--no-ledger"]
        )
        #expect(lock.status == 0, "\(lock.output)")
        let timing = root.appendingPathComponent("timing.json")
        try ReplayWorkspace.rulesFile.write(to: timing, atomically: true, encoding: .utf8)
        let lockFile = workspace.workspace.appendingPathComponent("scope.lock.json")
        let locked = try Data(contentsOf: lockFile)
        let scopeText = try Data(contentsOf: workspace.scopeFile)
        let arguments = [
            "replay", recording.har.path, "--scope", workspace.scopeFile.path, "--service", "shop", "--out",
            workspace.output.path, "--sandbox", "jail", "--cache-dir", ReplayWorkspace.cacheDirectory.path,
            "--noise", timing.path,
        ]
        let honest = try OwnedProcess.run(
            Self.taas.path,
            arguments
        )
        #expect(honest.status == 0, "\(honest.output)")
        let report = try readReport(workspace.output.appendingPathComponent("report.json"))
        #expect(report.lockStatus == .verified)
        #expect(try Data(contentsOf: lockFile) == locked)
        #expect(try Data(contentsOf: workspace.scopeFile) == scopeText)

        // Another build of the service under the same lock: the scope no longer matches it.
        try String(decoding: scopeText, as: UTF8.self).replacingOccurrences(of: "--build good", with: "--build changed")
            .write(to: workspace.scopeFile, atomically: true, encoding: .utf8)
        let tampered = try OwnedProcess.run(
            Self.taas.path,
            arguments
        )
        #expect(tampered.status == 2, "\(tampered.output)")
        let refused = try readReport(workspace.output.appendingPathComponent("report.json"))
        #expect(refused.lockStatus == .mismatch)
        let document = try JSONDecoder().decode(
            ReplayDocument.self,
            from: Data(contentsOf: workspace.output.appendingPathComponent("replay.json"))
        )
        #expect(document.summary.notReplayed == 5)
        #expect(document.exchanges.allSatisfy { $0.replayedStatus.isEmpty })
    }
}

/// The report in `file`, read as `taas report` reads it.
private func readReport(_ file: URL) throws -> TaaSReport {
    try TaaSReport.read(from: Data(contentsOf: file))
}
