import Foundation
import TaaSCore
import TaaSIntegrity

/// Classifies every failure of a report from its evidence: the parsed stack trace with each frame
/// marked law or code, what changed since a passing run, retries and history, the lifecycle and
/// the services. When the evidence does not decide, the class is `unknown`: it never guesses.
public struct Diagnoser: Sendable {
    public var context: DiagnosisContext

    public init(context: DiagnosisContext) {
        self.context = context
    }

    /// The diagnosis of `report`: one item per failed or errored case (per scenario when it has
    /// no cases), and one per scenario that passed only on retry.
    public func diagnose(_ report: TaaSReport) -> Diagnosis {
        var items: [Diagnosis.Item] = []
        let lifecycle = lifecycleEvidence(report)
        let texts = FailureText(outputFolder: context.outputFolder)
        for scenario in report.scenarios {
            if scenario.flaky && scenario.verdict == .pass {
                items.append(retried(scenario))
                continue
            }
            guard scenario.verdict == .fail || scenario.verdict == .error || scenario.verdict == .skipped else {
                continue
            }
            if scenario.verdict == .skipped || (!lifecycle.isEmpty && scenario.attempts.isEmpty) {
                if let crash = lifecycleCrash(report) {
                    items.append(
                        Diagnosis.Item(
                            scenarioID: scenario.id,
                            caseID: nil,
                            failureClass: .codeBroken,
                            confidence: 0.7,
                            summary:
                                "The scenario did not run: \(crash.step) crashed in the code at \(Self.place(crash.frame)).",
                            evidence: crash.evidence + lifecycle
                        )
                    )
                    continue
                }
                if lifecycle.contains(where: { $0.kind == "service" && $0.detail.contains("last check: HTTP 5") }) {
                    items.append(
                        Diagnosis.Item(
                            scenarioID: scenario.id,
                            caseID: nil,
                            failureClass: .unknown,
                            confidence: 0,
                            summary:
                                "The scenario did not run: a service answered its readiness check with a server error, which the code or its configuration may cause.",
                            evidence: lifecycle
                        )
                    )
                    continue
                }
                items.append(
                    Diagnosis.Item(
                        scenarioID: scenario.id,
                        caseID: nil,
                        failureClass: lifecycle.isEmpty ? .unknown : .environment,
                        confidence: lifecycle.isEmpty ? 0 : 0.9,
                        summary: lifecycle.isEmpty
                            ? "The scenario did not run and the report does not say why."
                            : "The scenario did not run: \(lifecycle[0].detail)",
                        evidence: lifecycle
                    )
                )
                continue
            }
            let failed = scenario.cases.filter { $0.verdict == .fail || $0.verdict == .error }
            if failed.isEmpty {
                var item = classify(
                    scenarioID: scenario.id,
                    caseID: nil,
                    text: texts.text(of: scenario),
                    timedOut: scenario.attempts.last?.timedOut == true
                )
                if item.failureClass == .unknown, !lifecycle.isEmpty {
                    item = Diagnosis.Item(
                        scenarioID: scenario.id,
                        caseID: nil,
                        failureClass: .environment,
                        confidence: 0.7,
                        summary: "The run's lifecycle failed before this scenario: \(lifecycle[0].detail)",
                        evidence: item.evidence + lifecycle
                    )
                }
                items.append(withHistory(item, report: report, scenario: scenario.id, caseName: nil))
            } else {
                for testCase in failed {
                    let item = classify(
                        scenarioID: scenario.id,
                        caseID: Self.caseID(testCase),
                        text: texts.text(of: testCase, in: scenario),
                        timedOut: false
                    )
                    items.append(withHistory(item, report: report, scenario: scenario.id, caseName: testCase.name))
                }
            }
        }
        if items.isEmpty, report.verdict != .pass {
            let evidence =
                lifecycle.isEmpty
                ? report.errors.map { Diagnosis.Evidence(kind: "run_error", detail: "\($0.phase): \($0.message)") }
                : lifecycle
            items.append(
                Diagnosis.Item(
                    scenarioID: "",
                    caseID: nil,
                    failureClass: lifecycle.isEmpty ? .unknown : .environment,
                    confidence: lifecycle.isEmpty ? 0 : 0.9,
                    summary: lifecycle.first.map { "The run failed outside the scenarios: \($0.detail)" }
                        ?? "The run did not pass and the report does not say why.",
                    evidence: evidence
                )
            )
        }
        return Diagnosis(runID: report.runID, items: items)
    }

    /// `tests/test_x.py::test_y` from a case's class name (`tests.test_x`) and name.
    static func caseID(_ testCase: CaseResult) -> String {
        guard !testCase.classname.isEmpty else { return testCase.name }
        let parts = testCase.classname.split(separator: ".").map(String.init)
        // pytest's classname is the module path, then a class when there is one (capitalised).
        let moduleParts = parts.prefix { !($0.first?.isUppercase ?? false) }
        let classParts = parts.dropFirst(moduleParts.count)
        let file = moduleParts.joined(separator: "/") + ".py"
        return ([file] + classParts + [testCase.name]).joined(separator: "::")
    }

    // MARK: - The lifecycle

    /// Setup steps that failed, services that were not ready, sandbox and run errors.
    func lifecycleEvidence(_ report: TaaSReport) -> [Diagnosis.Evidence] {
        var evidence: [Diagnosis.Evidence] = []
        for step in report.setup where !step.succeeded {
            let tail = ReportLines.last(step.output.stderrTail + "\n" + step.output.stdoutTail, 3)
            evidence.append(
                Diagnosis.Evidence(
                    kind: "setup",
                    detail:
                        "setup `\(step.command)` \(step.timedOut ? "timed out" : "exited with \(step.exitCode.map { "\($0)" } ?? "no exit code")")\(tail.isEmpty ? "" : ": \(tail)")"
                )
            )
        }
        for service in report.services where !service.ready {
            let tail = ReportLines.last(service.output.stderrTail + "\n" + service.output.stdoutTail, 3)
            evidence.append(
                Diagnosis.Evidence(
                    kind: "service",
                    detail:
                        "service \(service.name) was not ready: \(service.message ?? "no reason given")\(tail.isEmpty ? "" : " — \(tail)")"
                )
            )
        }
        for error in report.errors where ["sandbox", "setup", "services"].contains(error.phase) {
            if evidence.contains(where: { $0.kind == error.phase }) { continue }
            evidence.append(Diagnosis.Evidence(kind: "run_error", detail: "\(error.phase): \(error.message)"))
        }
        return evidence
    }

    /// A setup step or service whose output ends in a traceback raised in the code: the code
    /// broke, not the environment.
    func lifecycleCrash(_ report: TaaSReport) -> (step: String, frame: StackFrame?, evidence: [Diagnosis.Evidence])? {
        let outputs =
            report.setup.filter { !$0.succeeded }.map { ("setup `\($0.command)`", $0.output) }
            + report.services.filter { !$0.ready }.map { ("service \($0.name)", $0.output) }
        for (step, output) in outputs {
            let trace = TraceParser(workspace: context.map).parse(output.stderrTail + "\n" + output.stdoutTail)
            // Raised by the code itself (its innermost frame of all is code), not by a library it
            // called: a download that cannot reach its host is the environment's.
            guard let frame = trace.innermostFrame, frame.owner == .code, trace.exceptionType != nil,
                trace.exceptionType != "ModuleNotFoundError"
            else { continue }
            var evidence = frameEvidence(trace)
            let first = trace.exceptionMessage.split(separator: "\n").first.map(String.init) ?? ""
            evidence.insert(Diagnosis.Evidence(kind: "exception", detail: first), at: 0)
            return (step, frame, evidence)
        }
        return nil
    }

    // MARK: - Retries and history

    private func retried(_ scenario: ScenarioResult) -> Diagnosis.Item {
        var evidence = [
            Diagnosis.Evidence(
                kind: "retry",
                detail: "attempts: "
                    + scenario.attempts.map { "\($0.number) \($0.verdict.rawValue)" }.joined(separator: ", ")
            )
        ]
        if let failed = scenario.attempts.first(where: { $0.verdict != .pass }) {
            evidence += timingSignals(
                in: [failed.message ?? "", failed.output.stdoutTail, failed.output.stderrTail].joined(separator: "\n")
            )
        }
        return Diagnosis.Item(
            scenarioID: scenario.id,
            caseID: nil,
            failureClass: .flaky,
            confidence: 0.9,
            summary:
                "Passed only on attempt \(scenario.attempts.count) with the same inputs: the verdict is not reproducible.",
            evidence: evidence
        )
    }

    /// Timing and order signals in a failure's text: supporting evidence for `flaky`.
    func timingSignals(in text: String) -> [Diagnosis.Evidence] {
        let lowered = text.lowercased()
        let words = ["time.time", "time.sleep", "datetime.now", "elapsed", "timeout", "random", "order", "monotonic"]
        return words.filter { lowered.contains($0) }.prefix(3).map {
            Diagnosis.Evidence(kind: "timing", detail: "the failure mentions `\($0)`")
        }
    }

    /// An item made `flaky` when an earlier run of the same workspace digest gave the other verdict.
    private func withHistory(
        _ item: Diagnosis.Item,
        report: TaaSReport,
        scenario: String,
        caseName: String?
    )
        -> Diagnosis.Item
    {
        guard let digest = context.manifest?.workspaceDigest else { return item }
        for run in context.history where run.manifest?.workspaceDigest == digest && run.report.runID != report.runID {
            guard let earlier = run.report.scenarios.first(where: { $0.id == scenario }) else { continue }
            let passed =
                caseName.map { name in earlier.cases.contains { $0.name == name && $0.verdict == .pass } }
                ?? (earlier.verdict == .pass)
            if passed {
                return Diagnosis.Item(
                    scenarioID: item.scenarioID,
                    caseID: item.caseID,
                    failureClass: .flaky,
                    confidence: 0.85,
                    summary:
                        "Run \(run.report.runID) of the same workspace (digest \(digest.prefix(19))…) passed where this one failed.",
                    evidence: [
                        Diagnosis.Evidence(
                            kind: "history",
                            detail: "run \(run.report.runID) passed with workspace digest \(digest)"
                        )
                    ] + item.evidence
                )
            }
        }
        return item
    }
}
