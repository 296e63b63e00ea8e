import ArgumentParser
import Foundation
import TaaSCore
import TaaSHealer

/// `taas diagnose REPORT.json`: classifies every failure of a report from its evidence.
struct DiagnoseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Classify every failure of a report: code_broken, test_outdated, flaky, environment or unknown.",
        discussion: """
            Reads REPORT.json and the workspace manifest beside it (manifest.json, written by every run), parses each \
            failure's stack trace (pytest's long representation, Python tracebacks, Go, Node and Swift failure lines), \
            marks each frame law (tests, conftest, pytest configuration, locked files, the scope) or code, and \
            classifies it with a confidence and its evidence. When the evidence does not decide, the class is \
            unknown: it never guesses.

            --baseline PASSING/report.json compares the workspace with a passing run's manifest (no git needed); \
            --git compares it with the repository's HEAD instead. --history DIR reads earlier output folders \
            (each with report.json and manifest.json): a case that passed there with the same workspace digest is \
            flaky.

            Writes diagnosis.json (default: beside the report) and adds a Diagnosis section to the report's \
            summary.md and report.html. Exit codes: 0 written, 2 an input could not be read. See docs/healer.md.
            """
    )

    @Argument(help: "The report.json of the run to diagnose.")
    var report: String

    @Option(help: "The workspace the run judged (for code around frames, close matches and its scope.json).")
    var workspace: String?

    @Option(help: "The scope file (default: WORKSPACE/scope.json).")
    var scope: String?

    @Option(help: ArgumentHelp("A passing run's report.json; its manifest.json is compared.", valueName: "report"))
    var baseline: String?

    @Flag(help: "Compare the workspace with git's HEAD instead of a baseline.")
    var git = false

    @Option(help: ArgumentHelp("A folder of earlier output folders (report.json + manifest.json).", valueName: "dir"))
    var history: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write diagnosis.json.", valueName: "file"))
    var output: String?

    func validate() throws {
        if git && baseline != nil { throw ValidationError("--git and --baseline cannot be used together") }
        if git && workspace == nil { throw ValidationError("--git needs --workspace DIR") }
    }

    func run() async throws {
        func url(_ path: String?) -> URL? { path.map { URL(fileURLWithPath: $0).standardizedFileURL } }
        do {
            let diagnosis = try await Healer.diagnose(
                reportFile: URL(fileURLWithPath: report).standardizedFileURL,
                workspace: url(workspace),
                scopeFile: url(scope),
                baseline: url(baseline),
                useGit: git,
                history: url(history),
                output: url(output)
            )
            Self.printItems(diagnosis)
        } catch {
            throw CommandOutcome.error("taas: \(error.message)")
        }
    }

    /// One line per item: class, confidence, where, and the summary.
    static func printItems(_ diagnosis: Diagnosis) {
        if diagnosis.items.isEmpty { print("diagnosis: nothing to diagnose") }
        for item in diagnosis.items {
            let place = [item.scenarioID, item.caseID].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " › ")
            print(
                "diagnosis: \(item.failureClass.rawValue) (\(String(format: "%.2f", item.confidence))) \(place): \(item.summary)"
            )
        }
    }
}
