import ArgumentParser
import TaaSCore

/// The exit codes of `taas`, decided in this one place.
enum ExitCodes {
    static let pass: Int32 = 0
    static let fail: Int32 = 1
    static let error: Int32 = 2
    static let invalidScope: Int32 = 3
    /// `taas report`: the file is not a TaaS report.
    static let invalidReport: Int32 = 3

    /// The exit code for a run's verdict.
    static func forVerdict(_ verdict: Verdict) -> ExitCode {
        switch verdict {
        case .pass: ExitCode(pass)
        case .fail: ExitCode(fail)
        case .error, .skipped: ExitCode(error)
        }
    }
}
