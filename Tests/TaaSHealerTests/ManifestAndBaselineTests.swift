import Foundation
import TaaSCore
import TaaSHealer
import TaaSIntegrity
import Testing

/// The workspace manifest beside each report, and diagnoses that compare two runs without git.
@Suite struct ManifestAndBaselineTests {
    @Test func everyRunWritesAManifestWithTheLawMarked() async throws {
        let lab = try LabRun("cb-operator")
        defer { lab.remove() }
        try await lab.run()
        let manifest = try WorkspaceManifest.read(from: lab.output.appending(path: "manifest.json"))
        let law = Dictionary(uniqueKeysWithValues: manifest.files.map { ($0.path, $0.law) })
        #expect(law["calc.py"] == false)
        #expect(law["tests/test_calc.py"] == true)
        #expect(law["scope.json"] == true)
        #expect(manifest.workspaceDigest.hasPrefix("sha256:"))
        #expect(manifest.files.allSatisfy { $0.digest.hasPrefix("sha256:") })
    }

    @Test func aBaselineShowsTheCodeChangedAndTheLawDidNot() async throws {
        let lab = try LabRun("cb-operator")
        defer { lab.remove() }
        try lab.write("def add(a, b):\n    \"\"\"The sum of a and b.\"\"\"\n    return a + b\n", to: "calc.py")
        let passing = lab.root.appending(path: "passing")
        #expect(try await lab.run(into: passing).verdict == .pass)
        try lab.write("def add(a, b):\n    \"\"\"The sum of a and b.\"\"\"\n    return a - b\n", to: "calc.py")
        #expect(try await lab.run().verdict == .fail)
        let diagnosis = try await Healer.diagnose(
            reportFile: lab.reportFile,
            workspace: lab.workspace,
            baseline: passing.appending(path: "report.json")
        )
        let item = try #require(diagnosis.items.first)
        #expect(item.failureClass == .codeBroken && item.confidence >= 0.9)
        #expect(item.evidence.contains { $0.kind == "baseline_diff" && $0.detail == "code changed: calc.py" })
    }

    @Test func theSameWorkspaceWithBothVerdictsInTheHistoryIsFlaky() async throws {
        let lab = try LabRun("cb-operator")
        defer { lab.remove() }
        try await lab.run()
        // An earlier run of the very same workspace digest that passed (its report made to pass).
        let history = lab.root.appending(path: "history/run-1")
        try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
        var earlier = try TaaSReport.read(from: Data(contentsOf: lab.reportFile))
        earlier.runID = "earlier"
        earlier.verdict = .pass
        for index in earlier.scenarios.indices {
            earlier.scenarios[index].verdict = .pass
            for caseIndex in earlier.scenarios[index].cases.indices {
                earlier.scenarios[index].cases[caseIndex].verdict = .pass
            }
        }
        try earlier.jsonData().write(to: history.appending(path: "report.json"))
        try FileManager.default.copyItem(
            at: lab.output.appending(path: "manifest.json"),
            to: history.appending(path: "manifest.json")
        )
        let diagnosis = try await Healer.diagnose(
            reportFile: lab.reportFile,
            workspace: lab.workspace,
            history: lab.root.appending(path: "history")
        )
        #expect(diagnosis.items.allSatisfy { $0.failureClass == .flaky })
        #expect(diagnosis.items.first?.evidence.first?.kind == "history")
    }

    @Test func aReportThatIsNotOneIsNamedWithItsPath() async throws {
        let root = FileManager.default.temporaryDirectory.appending(path: "taas-heal-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appending(path: "report.json")
        try Data(#"{"report_version": "1.0", "run_id": 3}"#.utf8).write(to: file)
        await #expect {
            try await Healer.diagnose(reportFile: file)
        } throws: { error in
            (error as? HealerError)?.message.contains("run_id") == true
        }
    }
}
