import Foundation
import TaaSCore

/// Runs `go test -json ARGS TARGET` (a package pattern such as `./...`) and reads each test, subtest
/// included, from the JSON event stream: its `pass`, `fail` or `skip` action, its elapsed time, and
/// its output as the failure message. A package that fails without a failing test (a build error) is
/// `error`.
///
/// `GOFLAGS=-mod=mod` is not set and nothing is downloaded: the sandbox has no network, so modules
/// must be vendored or in the module cache. `GOTOOLCHAIN=local` keeps Go from fetching a toolchain.
public struct GoRunner: Runner {
    public init() {}

    public var name: String { "go" }

    public func run(_ attempt: RunnerAttempt, in sandbox: any SandboxInstance) async throws(SandboxError) -> RunnerResult {
        guard let execution = attempt.execution else {
            return .noExecution
        }
        let eventsName = "\(attempt.label).go-test.json"
        let step = ToolStep(
            tool: "go", arguments: ["go", "test", "-json"] + execution.arguments + [execution.target],
            outputArtifact: eventsName)
        let outcome = try await sandbox.run(
            step.request(for: attempt, in: sandbox, environment: ["GOTOOLCHAIN": "local", "GOPROXY": "off"]))
        let events = try await sandbox.readArtifact(eventsName) ?? Data()
        let cases = Self.cases(fromEvents: events)
        return ToolJudgement.judge(
            outcome, tool: "go test", cases: cases, reportProblem: nil,
            noTests: "go test found no tests in \(execution.target)", timeout: attempt.scenario.timeout)
    }

    /// The test cases of a `go test -json` event stream (one JSON object per line; other lines are ignored).
    static func cases(fromEvents data: Data) -> [CaseResult] {
        struct Key: Hashable {
            var package: String
            var test: String
        }
        var order: [Key] = []
        var results: [Key: CaseResult] = [:]
        var output: [Key: String] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard line.first == UInt8(ascii: "{"),
                let event = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let action = event["Action"] as? String, let test = event["Test"] as? String
            else { continue }
            let key = Key(package: event["Package"] as? String ?? "", test: test)
            switch action {
            case "run":
                if results[key] == nil { order.append(key) }
                results[key] = CaseResult(name: test, classname: key.package, verdict: .pass, durationMS: 0)
            case "output":
                if let text = event["Output"] as? String, output[key, default: ""].utf8.count < 16 * 1024 {
                    output[key, default: ""] += text
                }
            case "pass", "fail", "skip":
                if results[key] == nil {
                    order.append(key)
                    results[key] = CaseResult(name: test, classname: key.package, verdict: .pass, durationMS: 0)
                }
                let seconds = event["Elapsed"] as? Double ?? 0
                results[key]!.durationMS = Int((seconds * 1000).rounded())
                results[key]!.verdict = action == "pass" ? .pass : action == "fail" ? .fail : .skipped
                if action != "pass" { results[key]!.message = message(from: output[key] ?? "") }
            default:
                break
            }
        }
        return order.compactMap { results[$0] }
    }

    /// The lines a test printed, without the `=== RUN` and `--- FAIL` markers go adds.
    private static func message(from output: String) -> String? {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: true).filter { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return !["=== RUN", "=== PAUSE", "=== CONT", "--- FAIL", "--- SKIP", "--- PASS"].contains { trimmed.hasPrefix($0) }
        }
        let text = lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
        return text.isEmpty ? nil : text
    }
}

extension Runner where Self == GoRunner {
    /// `go test -json`, with per-test results.
    public static var go: GoRunner { GoRunner() }
}
