import Foundation
import TaaSCore

extension Judge {
    /// The scenarios that failed or errored in the last run written to `outputDirectory`
    /// (its `report.json`), for `--rerun-failed`.
    /// - Throws: ``RunRequestError`` with code `rerun` when there is no report there or it cannot be read.
    public static func lastFailures(
        in outputDirectory: URL
    ) throws(RunRequestError) -> (
        runID: String, scenarioIDs: [String]
    ) {
        let file = outputDirectory.appendingPathComponent("report.json")
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw RunRequestError(
                .rerun,
                "--rerun-failed: there is no earlier report \(file.path) to take the failures from; "
                    + "run once without it (or give the --out of the earlier run)"
            )
        }
        do {
            return ScenarioSelection.failures(of: try TaaSReport.read(from: data))
        } catch {
            throw RunRequestError(.rerun, "--rerun-failed: \(file.path) is not a TaaS report: \(error)")
        }
    }
}
