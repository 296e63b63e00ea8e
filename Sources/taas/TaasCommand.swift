import ArgumentParser
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
            RunCommand.self, ReportCommand.self, ValidateCommand.self, LockCommand.self, VerifyCommand.self,
            KeygenCommand.self, SchemaCommand.self, DoctorCommand.self, ImageCommand.self, CacheCommand.self, GcCommand.self,
        ]
    )
}
