import Foundation
import TaaSCore

/// Runs a scenario's `http` requests in order from inside the sandbox (through its agent, so no curl
/// is needed there) and checks each answer. Each request is a case; every failed expectation is in
/// its message as "expected …, got …". The first request that fails ends the attempt, and the
/// requests after it are `skipped`. A connection that fails, an answer that is not HTTP, or running
/// past the scenario's timeout is `fail`.
public struct HTTPRunner: Runner {
    public init() {}

    public var name: String { "http" }

    /// The most bytes of one answer that are kept.
    package static let maximumResponseBytes = 8 << 20

    public func run(
        _ attempt: RunnerAttempt,
        in sandbox: any SandboxInstance
    ) async throws(SandboxError) -> RunnerResult {
        guard case .http(let checks) = attempt.scenario.action else {
            return RunnerResult(
                verdict: .error,
                outcome: StepOutcome(exitCode: nil, duration: .zero),
                message: "the scenario has no http"
            )
        }
        let clock = ContinuousClock()
        let started = clock.now
        var captured: [String: String] = [:]
        var cases: [CaseResult] = []
        var transcript: [String] = []
        var failure: String?
        var timedOut = false
        var stopped = false
        for (index, check) in checks.enumerated() {
            let label = "\(index + 1). \(check.method) \(check.path)"
            if failure != nil || stopped {
                cases.append(
                    CaseResult(
                        name: label,
                        classname: "http",
                        verdict: .skipped,
                        durationMS: 0,
                        message: "not run: an earlier request failed"
                    )
                )
                continue
            }
            let left = attempt.scenario.timeout - (clock.now - started)
            if left <= .zero {
                timedOut = true
                failure = "request \(index + 1) (\(check.display)): not made, the scenario ran out of time"
                cases.append(
                    CaseResult(name: label, classname: "http", verdict: .fail, durationMS: 0, message: failure)
                )
                continue
            }
            let request = HTTPRequestEncoder.encode(
                check,
                captured: captured,
                traceparent: attempt.trace?.traceparent(
                    for: TraceContext.caseLabel(
                        attempt: attempt.label,
                        case: CaseResult(name: label, classname: "http", verdict: .pass, durationMS: 0).fullName
                    )
                )
            )
            transcript.append("→ \(HTTPPlaceholders.fill(check.display, with: captured))")
            let answer = try await sandbox.exchange(
                LoopbackExchange(
                    host: check.host,
                    port: check.port,
                    request: request,
                    timeout: left,
                    maximumResponseBytes: Self.maximumResponseBytes,
                    isComplete: { [method = check.method] in HTTPResponse.isComplete($0, method: method) }
                )
            )
            let milliseconds = DurationText.milliseconds(answer.elapsed)
            var problems: [String] = []
            if answer.failure == "stopped" {
                stopped = true
                problems = ["stopped"]
            } else if let problem = answer.failure {
                if clock.now - started >= attempt.scenario.timeout { timedOut = true }
                problems = [problem]
            } else if answer.truncated {
                problems = ["the answer is longer than \(Self.maximumResponseBytes) bytes"]
            } else {
                do {
                    let response = try HTTPResponse.parse(answer.response, method: check.method)
                    transcript.append(
                        "← \(response.status) \(response.reason) (\(milliseconds) ms, \(response.body.count) bytes) \(HTTPCheckEvaluator.excerpt(response))"
                    )
                    problems = HTTPCheckEvaluator.failures(
                        of: check,
                        response: response,
                        elapsedMilliseconds: milliseconds
                    )
                    if problems.isEmpty {
                        switch HTTPCheckEvaluator.captures(of: check, response: response) {
                        case .success(let values): captured.merge(values) { $1 }
                        case .failure(let problem): problems = [problem.message]
                        }
                    }
                } catch {
                    problems = [error.description]
                }
            }
            transcript += problems.map { "  ✗ \($0)" }
            if !problems.isEmpty, !stopped {
                failure = "request \(index + 1) (\(check.display)): " + problems.joined(separator: "; ")
            }
            cases.append(
                CaseResult(
                    name: label,
                    classname: "http",
                    verdict: problems.isEmpty ? .pass : .fail,
                    durationMS: milliseconds,
                    message: problems.isEmpty ? nil : problems.joined(separator: "\n")
                )
            )
        }
        let text = transcript.joined(separator: "\n") + "\n"
        let outcome = StepOutcome(
            exitCode: stopped ? nil : failure == nil ? 0 : 1,
            timedOut: timedOut,
            stopped: stopped,
            duration: clock.now - started,
            stdout: CapturedOutput(tail: String(text.suffix(4096)), totalBytes: text.utf8.count)
        )
        if stopped { return RunnerResult(verdict: .error, outcome: outcome, cases: cases, message: "interrupted") }
        return RunnerResult(verdict: failure == nil ? .pass : .fail, outcome: outcome, cases: cases, message: failure)
    }
}

extension Runner where Self == HTTPRunner {
    /// HTTP checks made from inside the sandbox.
    public static var http: HTTPRunner { HTTPRunner() }
}
