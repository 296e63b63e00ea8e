import ArgumentParser
import Foundation
import TaaSCore
import TaaSHealer

/// `taas heal REPORT.json --workspace DIR --fixer CMD`: one correction cycle that can never win by
/// changing the law.
struct HealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heal",
        abstract: "Run one correction cycle on a failing report: a fixer changes code in a copy, the scope is re-run.",
        discussion: """
            Diagnoses REPORT.json, copies the workspace to OUT/workspace and runs the fixer there (any program: \
            `sh -c CMD`) with heal-request.json on its standard input and in the copy's root: the diagnosis, the \
            failing cases with their traces and the code around each frame, the law's files, what it may change, and \
            its budget. A fixer still running at --budget seconds is killed with its whole process group.

            The law guard: any change to the law (the scope, its lock, the tests, conftest.py, pytest configuration, \
            locked files) rejects the fix (outcome rejected, reason law_changed, paths). When every failure is \
            test_outdated, the test change becomes a law amendment proposal (OUT/proposal.json) and the verdict stays \
            fail. Flaky and environment failures get a proposal and no fixer.

            Otherwise the scope is re-run on the copy in the same sandbox kind, with its lock verified, into \
            OUT/report/. OUT/heal.json has: outcome (fixed, still_failing, rejected, fixer_failed, \
            amendment_proposed), reason, paths, diff, verdict_before, verdict_after, report, fixer (command, \
            exit_code, duration_ms, output_tail). The workspace changes only with --apply and outcome fixed.
            Exactly one cycle. Exit codes: 0 fixed, 1 any other outcome, 2 an input could not be read.
            """
    )

    @Argument(help: "The report.json of the failing run.")
    var report: String

    @Option(help: "The workspace the run judged.")
    var workspace: String

    @Option(help: ArgumentHelp("The fixer's shell command, run in the workspace copy.", valueName: "command"))
    var fixer: String

    @Option(help: "The scope file (default: WORKSPACE/scope.json).")
    var scope: String?

    @Option(help: "Seconds the fixer may run before it is killed.")
    var budget: Double = 300

    @Option(
        name: .shortAndLong,
        help: "Where to write the copy, the new report and heal.json (default: heal/ beside the report)."
    )
    var out: String?

    @Flag(help: "Copy the fix into the workspace when the outcome is fixed (the law unchanged, the new verdict pass).")
    var apply = false

    func validate() throws {
        guard budget > 0 else { throw ValidationError("--budget must be more than 0 seconds, not \(budget)") }
    }

    func run() async throws {
        func url(_ path: String) -> URL { URL(fileURLWithPath: path).standardizedFileURL }
        var options = HealOptions(
            reportFile: url(report),
            workspace: url(workspace),
            fixer: fixer,
            scopeFile: scope.map(url),
            outputDirectory: out.map(url)
        )
        options.budgetSeconds = budget
        options.apply = apply
        let result: HealResult
        do { result = try await Healer.heal(options) } catch {
            throw CommandOutcome.error("taas: \(error.message)")
        }
        var line =
            "heal: \(result.outcome.rawValue) (\(result.reason)); verdict \(result.verdictBefore) → \(result.verdictAfter)"
        if !result.paths.isEmpty { line += "; paths: \(result.paths.joined(separator: ", "))" }
        print(line)
        if let proposal = result.proposal { print("heal: proposal for the Legislator: \(proposal)") }
        if result.applied { print("heal: the fix was applied to \(options.workspace.path)") }
        print("heal: \(options.outputDirectory.appendingPathComponent(HealResult.fileName).path)")
        if result.outcome != .fixed { throw CommandOutcome.verdict(.fail) }
    }
}
