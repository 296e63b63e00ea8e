import Foundation
import Synchronization
import TaaSCore
import TaaSReporting
import TaaSTesting
import Testing

/// The `--events` objects read back into run events: what `taas run --server` feeds its console.
@Suite struct EventStreamTests {
    let report = ReportBuilder(scopeID: "shop")
        .setup("pip install -r requirements.txt", exitCode: 2)
        .service("api", command: "python3 app.py", ready: false)
        .scenario(
            "API-1",
            .fail,
            cases: [
                CaseResult(
                    name: "test_price",
                    classname: "tests.test_api",
                    verdict: .fail,
                    durationMS: 3,
                    message: "assert 13.0 == 12.5"
                )
            ],
            message: "1 of 1 cases failed"
        )
        .build()

    /// One event through its JSON line and back.
    func roundTrip(_ event: RunEvent) throws -> RunEvent? {
        let line = try #require(EventStream.json(of: event))
        let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
        return EventStream.event(from: object)
    }

    @Test func eachResultComesBackWhole() throws {
        let scenario = try #require(report.scenarios.first)
        guard case .scenarioFinished(let read) = try roundTrip(.scenarioFinished(scenario)) else {
            Issue.record("scenario_finished was not read back")
            return
        }
        #expect(read == scenario)
        #expect(read.cases.first?.message == "assert 13.0 == 12.5")

        let step = try #require(report.setup.first)
        guard
            case .stepFinished(let phase, let index, let readStep) = try roundTrip(
                .stepFinished(phase: .setup, index: 0, result: step)
            )
        else {
            Issue.record("step_finished was not read back")
            return
        }
        #expect(phase == .setup && index == 0 && readStep == step)

        let service = try #require(report.services.first)
        guard case .serviceReady(let readService) = try roundTrip(.serviceReady(service)) else {
            Issue.record("service_ready was not read back")
            return
        }
        #expect(readService == service)

        let attempt = try #require(scenario.attempts.first)
        guard
            case .attemptFinished(let id, let readAttempt) = try roundTrip(
                .attemptFinished(scenarioID: "API-1", attempt: attempt)
            )
        else {
            Issue.record("attempt_finished was not read back")
            return
        }
        #expect(id == "API-1" && readAttempt == attempt)
    }

    @Test func theSmallEventsComeBackAndRunFinishedIsLeftToTheReport() throws {
        guard
            case .runStarted(let runID, let scopeID, let count) = try roundTrip(
                .runStarted(runID: "r1", scopeID: "shop", scenarios: 3)
            )
        else {
            Issue.record("run_started was not read back")
            return
        }
        #expect(runID == "r1" && scopeID == "shop" && count == 3)
        guard case .phaseStarted(.stoppingServices) = try roundTrip(.phaseStarted(.stoppingServices)) else {
            Issue.record("phase_started was not read back")
            return
        }
        guard case .progress("venv: 3/7 packages") = try roundTrip(.progress("venv: 3/7 packages")) else {
            Issue.record("progress was not read back")
            return
        }
        #expect(try roundTrip(.runFinished(report)) == nil)
    }

    @Test func anObjectWithoutItsResultOrOfAnUnknownEventIsSkipped() {
        #expect(EventStream.event(from: ["event": "scenario_finished", "id": "API-1", "verdict": "fail"]) == nil)
        #expect(EventStream.event(from: ["event": "coffee_break"]) == nil)
        #expect(EventStream.event(from: ["event": "phase_started", "phase": "lunch"]) == nil)
    }

    @Test func theSameConsoleLinesComeFromTheReadEventsAsFromTheRunsOwn() throws {
        let events: [RunEvent] = [
            .runStarted(runID: report.runID, scopeID: "shop", scenarios: 1), .phaseStarted(.setup),
            .stepFinished(phase: .setup, index: 0, result: report.setup[0]), .phaseStarted(.services),
            .serviceReady(report.services[0]), .phaseStarted(.scenarios), .scenarioFinished(report.scenarios[0]),
        ]
        func lines(_ events: [RunEvent]) -> String {
            let text = Mutex("")
            let console = ConsoleReporter(reportPath: "out/report.html", colors: false, statusLine: false) { line in
                text.withLock { $0 += line }
            }
            for event in events { console.handle(event) }
            console.handle(.runFinished(report))
            // The phases' elapsed times differ between two consoles.
            return text.withLock { $0 }.replacing(/\(at [0-9.]+m?s\)/, with: "")
        }
        let read = try events.map { try #require(try roundTrip($0)) }
        let local = lines(events)
        #expect(lines(read) == local)
        #expect(local.contains("assert 13.0 == 12.5"))
    }
}
