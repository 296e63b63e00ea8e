import Foundation
import TaaSCore
import TaaSRunners

/// The runner of a replay's scenarios, registered under the name `http` in place of the HTTP-check
/// runner: it sends each scenario's recorded request from inside the sandbox (twice with automatic
/// noise), compares the answers with the recorded one, and fails the scenario with one line per
/// difference (`$.price: recorded 12.5, got 13.0`).
public struct ReplayRunner: Runner {
    private let items: [String: ReplayPlan.Item]
    private let rules: NoiseRules
    /// Where the runner keeps what it saw, for `replay.json`.
    public let ledger: ReplayLedger

    /// A runner for the scenarios of `plan`, comparing under `rules`, keeping its findings in `ledger`.
    public init(plan: ReplayPlan, rules: NoiseRules, ledger: ReplayLedger = ReplayLedger()) {
        self.items = Dictionary(plan.items.map { ($0.scenarioID, $0) }, uniquingKeysWith: { $1 })
        self.rules = rules
        self.ledger = ledger
    }

    public var name: String { "http" }

    public func run(
        _ attempt: RunnerAttempt,
        in sandbox: any SandboxInstance
    ) async throws(SandboxError)
        -> RunnerResult
    {
        let clock = ContinuousClock()
        let started = clock.now
        guard let item = items[attempt.scenario.id] else {
            return RunnerResult(
                verdict: .error,
                outcome: StepOutcome(exitCode: nil, duration: .zero),
                message: "the scenario \(attempt.scenario.id) replays no recorded exchange"
            )
        }
        let label = "\(item.exchange.method) \(item.check.path)"
        var transcript = ["→ \(item.check.display) (\(item.exchange.source.display))"]
        var answers: [ReplayedAnswer] = []
        var problem: String?
        var stopped = false
        for _ in 0..<(rules.autoNoise ? 2 : 1) {
            let left = attempt.scenario.timeout - (clock.now - started)
            guard left > .zero else {
                problem = "not answered within the scenario's timeout"
                break
            }
            let answer = try await sandbox.exchange(
                LoopbackExchange(
                    host: item.check.host,
                    port: item.check.port,
                    request: HTTPRequestEncoder.encode(item.check, captured: [:]),
                    timeout: left,
                    maximumResponseBytes: HTTPRunner.maximumResponseBytes,
                    isComplete: { [method = item.check.method] in HTTPResponse.isComplete($0, method: method) }
                )
            )
            if answer.failure == "stopped" {
                stopped = true
                break
            }
            if let failure = answer.failure {
                problem = failure
                break
            }
            do {
                let response = try HTTPResponse.parse(answer.response, method: item.check.method)
                transcript.append("← \(response.status) \(response.reason) (\(response.body.count) bytes)")
                answers.append(
                    ReplayedAnswer(
                        status: response.status,
                        headers: response.headers.map { HTTPField(name: $0.name, value: $0.value) },
                        body: Data(response.body)
                    )
                )
            } catch {
                problem = error.description
                break
            }
        }
        let elapsed = clock.now - started
        if stopped {
            return RunnerResult(
                verdict: .error,
                outcome: StepOutcome(exitCode: nil, stopped: true, duration: elapsed),
                message: "interrupted"
            )
        }
        var mismatches: [ReplayMismatch] = []
        var noise: [String] = []
        if problem == nil, let first = answers.first {
            let comparison = ExchangeComparison.compare(
                recorded: item.exchange.response,
                first: first,
                second: answers.count > 1 ? answers[1] : nil,
                rules: rules,
                knownNoise: await ledger.noise(for: item.route)
            )
            mismatches = comparison.mismatches
            noise = comparison.noise
        }
        await ledger.record(
            ReplayLedger.Entry(
                scenarioID: item.scenarioID,
                replayedStatus: answers.map(\.status),
                mismatches: mismatches,
                noise: noise,
                problem: problem
            ),
            route: item.route
        )
        let lines = problem.map { ["no answer to compare: \($0)"] } ?? mismatches.map(\.description)
        transcript += lines.map { "  ✗ \($0)" }
        if !noise.isEmpty { transcript.append("  noise: \(noise.joined(separator: ", "))") }
        let text = transcript.joined(separator: "\n") + "\n"
        let passed = lines.isEmpty
        let message = passed ? nil : "\(label): " + lines.joined(separator: "; ")
        return RunnerResult(
            verdict: passed ? .pass : .fail,
            outcome: StepOutcome(
                exitCode: passed ? 0 : 1,
                duration: elapsed,
                stdout: CapturedOutput(tail: String(text.suffix(4096)), totalBytes: text.utf8.count)
            ),
            cases: [
                CaseResult(
                    name: label,
                    classname: "replay",
                    verdict: passed ? .pass : .fail,
                    durationMS: DurationText.milliseconds(elapsed),
                    message: passed ? nil : lines.joined(separator: "\n")
                )
            ],
            message: message
        )
    }
}
