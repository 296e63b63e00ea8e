import ArgumentParser
import Foundation
import TaaSCore

/// `taas validate SCOPE`: checks a scope and prints every problem with its JSON path.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a TestScope file and print every problem with its JSON path.",
        discussion: "Exit codes: 0 valid (warnings may be printed), 3 invalid."
    )

    @Argument(help: "The TestScope JSON file.")
    var scope: String

    func run() throws {
        let (loaded, warnings) = try ScopeLoading.load(scope)
        if !warnings.isEmpty {
            ScopeLoading.printError("\(scope): \(warnings.count) warning\(warnings.count == 1 ? "" : "s")")
            ScopeLoading.printWarnings(warnings)
        }
        print(
            "\(scope): valid TestScope \"\(loaded.id)\" with \(loaded.scenarios.count) scenario\(loaded.scenarios.count == 1 ? "" : "s") (\(loaded.fingerprint))"
        )
    }
}
