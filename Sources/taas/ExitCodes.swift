import ArgumentParser
import Foundation
import TaaSCore
import TaaSEngine

/// How a command ends when it does not simply succeed. Commands throw it (or let a scope's or a
/// request's error through); ``ExitCodes/exit(for:)`` decides the exit code.
enum CommandOutcome: Error {
    /// A run ended with this verdict.
    case verdict(Verdict)
    /// A check said no (a signature that does not hold); what differs was printed.
    case checkFailed
    /// Something could not be done; the message (`taas: …`) says what, `nil` when it was printed already.
    case error(String?)
    /// `taas report`: the file is not a TaaS report; the message (`taas: …`) says why.
    case invalidReport(String)
    /// The command printed what it had to say; it ends with this exit code.
    case exit(Int32)
}

/// The exit codes of `taas`, decided in this one place.
enum ExitCodes {
    static let pass: Int32 = 0
    static let fail: Int32 = 1
    static let error: Int32 = 2
    static let invalidScope: Int32 = 3
    /// `taas report`: the file is not a TaaS report.
    static let invalidReport: Int32 = 3

    /// The exit code for a run's verdict.
    static func code(for verdict: Verdict) -> Int32 {
        switch verdict {
        case .pass: pass
        case .fail: fail
        case .error, .skipped: error
        }
    }

    /// The exit code for what a command threw, and the message to print on standard error; `nil`
    /// for the errors of argument parsing, which swift-argument-parser reports itself.
    static func outcome(of thrown: any Error) -> (code: Int32, message: String?)? {
        if let outcome = thrown as? CommandOutcome {
            switch outcome {
            case .verdict(let verdict): return (code(for: verdict), nil)
            case .checkFailed: return (fail, nil)
            case .error(let message): return (error, message)
            case .invalidReport(let message): return (invalidReport, message)
            case .exit(let code): return (code, nil)
            }
        }
        if let invalid = thrown as? InvalidScopeError { return (invalidScope, invalid.description) }
        if let unreadable = thrown as? ScopeFileError { return (invalidScope, "taas: \(unreadable)") }
        if let request = thrown as? RunRequestError { return (error, "taas: \(request.message)") }
        return nil
    }

    /// Ends the process for what a command threw.
    static func exit(for thrown: any Error) -> Never {
        guard let (code, message) = outcome(of: thrown) else { TaasCommand.exit(withError: thrown) }
        if let message { FileHandle.standardError.write(Data((message + "\n").utf8)) }
        Foundation.exit(code)
    }
}
