import ArgumentParser
import Foundation
import TaaSCore

/// Reads a scope file for a command, printing every problem and exiting 3 when it is invalid.
enum ScopeLoading {
    static func load(_ path: String) throws -> (scope: TestScope, warnings: [ScopeIssue]) {
        do {
            return try TestScope.load(from: URL(fileURLWithPath: path))
        } catch let invalid as InvalidScopeError {
            printError(invalid.description)
            throw ExitCode(ExitCodes.invalidScope)
        } catch {
            printError("taas: \(error)")
            throw ExitCode(ExitCodes.invalidScope)
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func printWarnings(_ warnings: [ScopeIssue]) {
        for warning in warnings { printError("  \(warning)") }
    }
}
