import ArgumentParser
import TaaSCore

/// `taas schema`: prints the contract's JSON Schema.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of the TestScope contract."
    )

    func run() {
        print(TestScopeSchema.json)
    }
}
