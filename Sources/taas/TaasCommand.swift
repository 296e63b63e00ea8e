import ArgumentParser
import Foundation
import TaaSEngine

/// `taas`: the command-line interface of Maestro TaaS.
@main
struct TaasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "taas",
        abstract: "Maestro TaaS: run a TestScope in a sandbox and get an honest verdict.",
        discussion: """
            Exit codes of `taas run`: 0 pass, 1 fail, 2 error (setup, teardown or the sandbox broke), 3 invalid scope.
            """,
        version: Harness.version,
        subcommands: [
            InitCommand.self, RunCommand.self, ReportCommand.self, ValidateCommand.self, LockCommand.self,
            VerifyCommand.self,
            KeygenCommand.self, SchemaCommand.self, DoctorCommand.self, ImageCommand.self, CacheCommand.self,
            GcCommand.self, McpCommand.self, DiagnoseCommand.self, HealCommand.self, ServeCommand.self,
            TokenCommand.self, RunsCommand.self, TraceCommand.self, IncidentsCommand.self, ScopeCommand.self,
            ReplayCommand.self, WorkerCommand.self,
        ]
    )

    /// Parses the command line, runs the command, and ends with the exit code of its outcome
    /// (see ``ExitCodes/exit(for:)``).
    static func main() async {
        _ = ProcessStart.instant
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            ExitCodes.exit(for: error)
        }
    }
}

/// When taas's own code began to run: where `taas run`'s report `timing` counts from.
enum ProcessStart {
    /// Read first thing in ``TaasCommand/main()``.
    static let instant = ContinuousClock.now
}
