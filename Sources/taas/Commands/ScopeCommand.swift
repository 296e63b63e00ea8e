import ArgumentParser
import Foundation
import TaaSCore
import TaaSShiftRight

/// `taas scope merge`: changes to a scope's law made by taas.
struct ScopeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scope",
        abstract: "Change a TestScope: merge generated scenarios into it.",
        subcommands: [Merge.self]
    )

    /// `taas scope merge SCOPE FRAGMENT`.
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Add the scenarios of a `taas incidents` fragment to a scope.",
            discussion: """
                Scenarios whose id the scope has already, or whose request another scenario of the scope makes \
                already, are skipped and reported. The scope's other members and their order are kept; the new \
                scenarios come last. A YAML scope is merged when its top-level scenarios: is a block list. The \
                merged scope is validated before it is written, to --output or in place.

                Merging changes the law: renew the scope's lock with `taas lock SCOPE` afterwards.

                Exit codes: 0 merged (or nothing to add), 2 the fragment or scope cannot be merged, 3 the merged \
                scope would not be valid (nothing is written).
                """
        )

        @Argument(help: "The scope file (JSON or YAML), or a folder with a scope.json or scope.yaml.")
        var scope: String

        @Argument(help: "The fragment written by `taas incidents`.")
        var fragment: String

        @Option(name: .shortAndLong, help: "Write the merged scope here (default: in place).")
        var output: String?

        func run() throws {
            let outcome: ScopeMerge.Outcome
            do {
                outcome = try ScopeMerge().merge(
                    scope: URL(fileURLWithPath: scope),
                    fragment: URL(fileURLWithPath: fragment)
                )
            } catch let error as IncidentError {
                throw CommandOutcome.error("taas: \(error)")
            }
            let destination = output ?? (try? ScopeFile.locate(URL(fileURLWithPath: scope)).path) ?? scope
            if !outcome.added.isEmpty || output != nil {
                do {
                    try outcome.text.write(to: URL(fileURLWithPath: destination), options: .atomic)
                } catch {
                    throw CommandOutcome.error("taas: cannot write \(destination): \(error.localizedDescription)")
                }
            }
            for skipped in outcome.skipped {
                print("skipped \(skipped.id): \(skipped.reason)")
            }
            print(
                "added \(outcome.added.count) scenario\(outcome.added.count == 1 ? "" : "s")"
                    + (outcome.added.isEmpty ? "" : " (\(outcome.added.joined(separator: ", ")))")
                    + ", skipped \(outcome.skipped.count); \(destination): valid TestScope \"\(outcome.scope.id)\" with "
                    + "\(outcome.scope.scenarios.count) scenario\(outcome.scope.scenarios.count == 1 ? "" : "s")"
            )
            if !outcome.added.isEmpty {
                print("the law changed: renew the scope's lock with `taas lock \(destination)` before `taas run`")
            }
        }
    }
}
