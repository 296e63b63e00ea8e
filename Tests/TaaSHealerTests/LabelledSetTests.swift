import Foundation
import TaaSCore
import TaaSHealer
import Testing

/// The labelled set: every broken workspace of `examples/heal-lab`, run for real (pytest in the
/// jail), is classified as labelled.
@Suite struct LabelledSetTests {
    @Test func theSetHasAtLeastThreeWorkspacesPerClass() {
        let counts = Dictionary(grouping: HealLab.labels.values, by: { $0 }).mapValues(\.count)
        for failureClass in ["code_broken", "test_outdated", "flaky", "environment"] {
            #expect((counts[failureClass] ?? 0) >= 3, "\(failureClass): \(counts[failureClass] ?? 0)")
        }
        #expect(HealLab.labels.count >= 12)
    }

    @Test(arguments: HealLab.names)
    func classifiedAsLabelled(_ name: String) async throws {
        let expected = try #require(HealLab.labels[name])
        let lab = try LabRun(name)
        defer { lab.remove() }
        let report = try await lab.run()
        #expect(report.scenarios.contains { $0.verdict != .pass || $0.flaky }, "\(name) did not break")
        let diagnosis = try await Healer.diagnose(reportFile: lab.reportFile, workspace: lab.workspace)
        #expect(!diagnosis.items.isEmpty, "\(name): no item")
        for item in diagnosis.items {
            #expect(
                item.failureClass.rawValue == expected,
                "\(name): \(item.failureClass.rawValue) (\(item.confidence)) \(item.summary) \(item.evidence.map(\.detail))"
            )
            if item.failureClass == .unknown { #expect(item.confidence == 0) } else { #expect(item.confidence >= 0.5) }
        }
        let written = try Diagnosis.read(from: lab.output.appending(path: "diagnosis.json"))
        #expect(written == diagnosis)
        let summary = try String(contentsOf: lab.output.appending(path: "summary.md"), encoding: .utf8)
        #expect(summary.contains("### Diagnosis") && summary.contains(expected))
        let page = try String(contentsOf: lab.output.appending(path: "report.html"), encoding: .utf8)
        #expect(page.contains("<h2>Diagnosis</h2>"))
    }
}
