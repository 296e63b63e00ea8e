// The libFuzzer entry point for the scope decoder and validator (TaaSCore's JSON parser and
// ScopeReader), compiled together with TaaSCore's sources by `fuzz/run`.
//
// Every input must be answered without a crash or a hang; an input that is rejected must be
// answered with at least one error, and every error must name a JSON path; an accepted input must
// give a scope that satisfies the contract's own rules. A broken rule stops the fuzzer with the input.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScopeReader(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    let result = ScopeReader.read(data)
    if let scope = result.scope {
        ScopeFuzzRules.check(scope, issues: result.issues)
    } else {
        ScopeFuzzRules.checkRejection(result.issues)
    }
    return 0
}

enum ScopeFuzzRules {
    /// A rejected document has at least one error, each with a JSON path and a message.
    static func checkRejection(_ issues: [ScopeIssue]) {
        let errors = issues.filter { $0.severity == .error }
        guard !errors.isEmpty else { fatalError("rejected without an error: \(issues)") }
        for issue in errors {
            let path = issue.path.description
            guard path == "$" || !path.isEmpty, !issue.message.isEmpty else {
                fatalError("an error without a JSON path or a message: \(issue)")
            }
        }
    }

    /// An accepted scope keeps the contract's rules: unique scenario ids, no error issues, targets
    /// inside the workspace, positive timeouts.
    static func check(_ scope: TestScope, issues: [ScopeIssue]) {
        guard !issues.contains(where: { $0.severity == .error }) else { fatalError("accepted with errors: \(issues)") }
        guard !scope.scenarios.isEmpty else { fatalError("accepted with no scenarios") }
        let ids = scope.scenarios.map(\.id)
        guard Set(ids).count == ids.count else { fatalError("accepted with duplicate ids: \(ids)") }
        for scenario in scope.scenarios {
            guard scenario.timeout > .zero else { fatalError("accepted a timeout of \(scenario.timeout)") }
            if case .execution(let execution) = scenario.action {
                let target = execution.target
                var depth = 0
                for part in target.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
                    depth += part == ".." ? -1 : 1
                    if depth < 0 { fatalError("accepted a target outside the workspace: \(target)") }
                }
                if target.hasPrefix("/") { fatalError("accepted an absolute target: \(target)") }
            }
        }
    }
}
