import Foundation
import TaaSCore

/// Reports built in tests, for the renderers.
enum SampleReports {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    /// A text that would run a script, break out of an attribute or a code span, and carries
    /// terminal escapes and control bytes, as an output tail may.
    static let hostile =
        "<script>alert('x')</script>\"><img src=x onerror=alert(1)> ``` `code` | pipe & \u{1B}[31mred\u{1B}[0m nul:\u{0} bell:\u{7}"

    static let pytestFailure = """
        def test_rate_limit_blocks():
            bucket = TokenBucket(capacity=1)
            bucket.allow()
        >       assert bucket.allow() is False
        E       assert True is False
        E        +  where True = <bound method TokenBucket.allow>()

        tests/test_core.py:57: AssertionError
        """

    /// A failing run: a flaky pass, a pytest scenario with a failed case, a command scenario that
    /// failed with hostile output, an errored and a skipped scenario, a failed teardown step.
    static func failing() -> TaaSReport {
        let flaky = ScenarioResult(
            id: "API-001",
            type: "integration",
            verdict: .pass,
            flaky: true,
            durationMS: 3200,
            attempts: [
                AttemptResult(
                    number: 1,
                    verdict: .fail,
                    exitCode: 7,
                    durationMS: 1000,
                    timedOut: false,
                    output: RecordedOutput(stderrTail: "curl: (7) refused\n")
                ),
                AttemptResult(
                    number: 2,
                    verdict: .pass,
                    exitCode: 0,
                    durationMS: 200,
                    timedOut: false,
                    output: RecordedOutput(stdoutTail: "ok\n")
                ),
            ],
            message: "passed on attempt 2 of 3 (flaky)"
        )
        let unit = ScenarioResult(
            id: "UNIT-001",
            type: "unit",
            verdict: .fail,
            durationMS: 900,
            attempts: [
                AttemptResult(
                    number: 1,
                    verdict: .fail,
                    exitCode: 1,
                    durationMS: 900,
                    timedOut: false,
                    output: RecordedOutput(
                        stdoutTail: "1 failed, 2 passed\n",
                        stdoutLog: "logs/UNIT-001.attempt-1.stdout.log"
                    )
                )
            ],
            cases: [
                CaseResult(name: "test_routes", classname: "tests.test_core", verdict: .pass, durationMS: 10),
                CaseResult(
                    name: "test_rate_limit_blocks",
                    classname: "tests.test_core",
                    verdict: .fail,
                    durationMS: 20,
                    message: pytestFailure
                ),
                CaseResult(
                    name: "test_later",
                    classname: "tests.test_core",
                    verdict: .skipped,
                    durationMS: 0,
                    message: "needs db"
                ),
            ],
            message: "1 of 3 test cases failed: tests.test_core::test_rate_limit_blocks"
        )
        let command = ScenarioResult(
            id: "API-002",
            type: "integ|ration",
            verdict: .fail,
            durationMS: 150,
            attempts: [
                AttemptResult(
                    number: 1,
                    verdict: .fail,
                    exitCode: 1,
                    durationMS: 150,
                    timedOut: false,
                    output: RecordedOutput(
                        stdoutTail: hostile,
                        stderrTail: "routes differ: expected /users, got /admin\nsee http://127.0.0.1:3000/routes\n"
                    ),
                    message: "exit code 1"
                )
            ],
            message: "exit code 1"
        )
        let errored = ScenarioResult(
            id: "E2E-001",
            type: "e2e",
            verdict: .error,
            message: "the command could not be run in the sandbox (exit code 127)"
        )
        let skipped = ScenarioResult(id: "E2E-002", type: "e2e", verdict: .skipped, message: "not run")
        var report = TaaSReport(
            runID: "20261125T220558Z-a047f431",
            scopeID: "pilot-api-gateway",
            scopeFingerprint: "sha256:" + String(repeating: "ab", count: 32),
            verdict: .fail,
            startedAt: start,
            finishedAt: start.addingTimeInterval(4.25),
            taasVersion: "0.1.0",
            sandbox: SandboxDescription(
                kind: "venv",
                settings: ["network": "none (own loopback only)", "user": "nobody (65534)", "evil": hostile]
            ),
            setup: [
                StepResult(
                    command: "python3 scripts/seed_db.py",
                    exitCode: 0,
                    durationMS: 90,
                    timedOut: false,
                    output: RecordedOutput(stdoutTail: "seeded 3 routes\n")
                )
            ],
            teardown: [
                StepResult(
                    command: "python3 scripts/clean_db.py",
                    exitCode: 1,
                    durationMS: 23,
                    timedOut: false,
                    output: RecordedOutput(stderrTail: "boom\n"),
                    message: "exit code 1"
                )
            ],
            services: [
                ServiceResult(
                    name: "gateway",
                    command: "python3 -m gateway.server --port 3000",
                    ready: true,
                    readyAfterMS: 207
                )
            ],
            scenarios: [unit, flaky, command, errored, skipped],
            errors: [
                RunError(
                    phase: "teardown",
                    message: "teardown step 1 (python3 scripts/clean_db.py) failed: exit code 1"
                )
            ]
        )
        // Run with `-k "not smoke"`: one scenario of the scope was left out.
        report.selection = SelectionRecord(
            keyword: "not smoke",
            selected: report.scenarios.map(\.id),
            deselected: ["SMOKE-001"]
        )
        return report
    }

    /// A run where everything passed.
    static func passing() -> TaaSReport {
        TaaSReport(
            runID: "run-ok",
            scopeID: "all-good",
            scopeFingerprint: "sha256:00",
            verdict: .pass,
            startedAt: start,
            finishedAt: start.addingTimeInterval(1.2),
            taasVersion: "0.1.0",
            sandbox: SandboxDescription(kind: "jail"),
            scenarios: [
                ScenarioResult(
                    id: "UNIT-001",
                    type: "unit",
                    verdict: .pass,
                    durationMS: 600,
                    attempts: [AttemptResult(number: 1, verdict: .pass, exitCode: 0, durationMS: 600, timedOut: false)],
                    cases: [CaseResult(name: "test_a", classname: "t", verdict: .pass, durationMS: 1)]
                )
            ]
        )
    }
}
