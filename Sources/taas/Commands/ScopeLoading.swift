import Foundation
import TaaSCore
import TaaSEngine

/// Reads a scope file for a command; an invalid or unreadable scope ends the command with exit
/// code 3 (see ``ExitCodes``).
enum ScopeLoading {
    /// The scope in `path`, read with the standard runners' names.
    /// - Throws: ``InvalidScopeError`` or ``ScopeFileError``.
    static func load(_ path: String) throws -> (scope: TestScope, warnings: [ScopeIssue]) {
        try Judge.loadScope(at: URL(fileURLWithPath: path))
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func printWarnings(_ warnings: [ScopeIssue]) {
        for warning in warnings { printError("  \(warning)") }
    }
}
