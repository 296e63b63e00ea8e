import Foundation
import TaaSCore

/// Reads XCTest's failure lines from `swift test`'s output.
enum XCTestOutput {
    /// XCTest's xUnit file (in `--parallel` mode) says only "failure": the message comes from the
    /// output line `FILE:LINE: error: CLASS.TEST : MESSAGE`.
    static func addingMessages(to cases: [CaseResult], from output: String) -> [CaseResult] {
        let lines = output.split(separator: "\n")
        return cases.map { testCase in
            guard testCase.verdict == .fail || testCase.verdict == .error,
                testCase.message == nil || testCase.message == "failure"
            else { return testCase }
            let className = testCase.classname.split(separator: ".").last.map(String.init) ?? testCase.classname
            let marker = "error: \(className).\(testCase.name) : "
            let messages = lines.compactMap { line in line.range(of: marker).map { String(line[$0.upperBound...]) } }
            guard !messages.isEmpty else { return testCase }
            var enriched = testCase
            enriched.message = messages.joined(separator: "\n")
            return enriched
        }
    }
}
