import Foundation
import TaaSCore

/// The Healer's front door: diagnoses a failing report, and runs one correction cycle.
///
/// ```swift
/// let diagnosis = try await Healer.diagnose(reportFile: out.appending(path: "report.json"), workspace: dir)
/// let heal = try await Healer.heal(HealRequestOptions(reportFile: report, workspace: dir, fixer: "./fix.sh"))
/// ```
public enum Healer {
    /// Reads `reportFile`, classifies its failures and writes `diagnosis.json` (to `output`, default
    /// beside the report) and the Diagnosis section of the report's `summary.md` and `report.html`.
    /// - Throws: ``HealerError`` when the report or an input cannot be read or an output written.
    @discardableResult
    public static func diagnose(
        reportFile: URL,
        workspace: URL? = nil,
        scopeFile: URL? = nil,
        baseline: URL? = nil,
        useGit: Bool = false,
        history: URL? = nil,
        output: URL? = nil
    ) async throws(HealerError) -> Diagnosis {
        let report = try readReport(reportFile)
        let context = try await DiagnosisContext.load(
            reportFile: reportFile,
            workspace: workspace,
            scopeFile: scopeFile,
            baseline: baseline,
            useGit: useGit,
            historyFolder: history
        )
        let diagnosis = Diagnoser(context: context).diagnose(report)
        let target = output ?? reportFile.deletingLastPathComponent().appendingPathComponent(Diagnosis.fileName)
        do { try diagnosis.jsonData().write(to: target, options: .atomic) } catch {
            throw HealerError(.output, "cannot write \(target.path): \(error.localizedDescription)")
        }
        try DiagnosisSection.add(diagnosis, toReportsIn: reportFile.deletingLastPathComponent())
        return diagnosis
    }

    /// Reads a `report.json`, naming the JSON path of any problem.
    static func readReport(_ url: URL) throws(HealerError) -> TaaSReport {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw HealerError(.input, "cannot read the report \(url.path); give the report.json that `taas run` wrote")
        }
        do { return try TaaSReport.read(from: data) } catch {
            throw HealerError(.input, "\(url.path): \(error)")
        }
    }
}
