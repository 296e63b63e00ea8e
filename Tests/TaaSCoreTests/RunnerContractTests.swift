import Foundation
import TaaSCore
import Testing

/// The contract fields of the runners: `execution.args`, `execution.cwd`, `execution.command` (junit)
/// and the scenario's `env`.
@Suite struct RunnerContractTests {
    private func execution(_ document: String) throws -> Execution {
        let result = readScope(document)
        let scope = try #require(result.scope, "\(result.issues)")
        guard case .execution(let execution) = scope.scenarios[0].action else {
            Issue.record("not an execution")
            throw CancellationError()
        }
        return execution
    }

    @Test func everyCatalogRunnerIsAccepted() throws {
        for name in RunnerCatalog.knownNames {
            let command = name == "junit" ? #", "command": "make test""# : ""
            let parsed = try execution(Doc.execution(#""runner": "\#(name)", "target": "t""# + command))
            #expect(parsed.runner == name)
        }
    }

    @Test func argsCwdAndCommandAreRead() throws {
        let parsed = try execution(
            Doc.execution(
                #""runner": "junit", "target": "out/r.xml", "command": "make test", "args": ["-k", "it's"], "cwd": "sub/dir""#
            )
        )
        #expect(parsed.arguments == ["-k", "it's"])
        #expect(parsed.workingDirectory == "sub/dir")
        #expect(parsed.command == "make test")
        #expect(parsed.target == "out/r.xml")
    }

    @Test func defaultsAreNoArgumentsAndTheWorkspace() throws {
        let parsed = try execution(Doc.execution(#""runner": "go", "target": "./...""#))
        #expect(parsed.arguments.isEmpty)
        #expect(parsed.workingDirectory == nil)
        #expect(parsed.command == nil)
    }

    @Test func junitWithoutCommandIsAnError() {
        let result = readScope(Doc.execution(#""runner": "junit", "target": "r.xml""#))
        #expect(!result.isValid)
        #expect(result.issues(at: "scenarios[0].execution.command").contains { $0.message.contains("JUnit XML") })
    }

    @Test func commandOnAnotherRunnerIsAnError() {
        let result = readScope(Doc.execution(#""runner": "go", "target": "./...", "command": "go test""#))
        #expect(!result.isValid)
        #expect(result.issues(at: "scenarios[0].execution.command").contains { $0.message.contains("args") })
    }

    @Test func cwdMustStayInTheWorkspace() {
        for bad in ["../x", "/abs", "~/x"] {
            let result = readScope(Doc.execution(#""runner": "go", "target": "./...", "cwd": "\#(bad)""#))
            #expect(result.issues(at: "scenarios[0].execution.cwd").contains { $0.severity == .error }, "\(bad)")
        }
    }

    @Test func argsMustBeStrings() {
        let result = readScope(Doc.execution(#""runner": "go", "target": "./...", "args": ["-v", 3]"#))
        #expect(result.issues(at: "scenarios[0].execution.args[1]").contains { $0.message.contains("a string") })
        let notArray = readScope(Doc.execution(#""runner": "go", "target": "./...", "args": "-v""#))
        #expect(notArray.issues(at: "scenarios[0].execution.args").contains { $0.severity == .error })
    }

    @Test func scenarioEnvIsReadForAnyScenario() throws {
        let result = readScope(Doc.scenario(#""command": "true", "env": {"PATH": "/opt/go/bin:/usr/bin", "A_1": ""}"#))
        let scope = try #require(result.scope, "\(result.issues)")
        #expect(scope.scenarios[0].environment == ["PATH": "/opt/go/bin:/usr/bin", "A_1": ""])
    }

    @Test func badScenarioEnvNamesTheVariable() {
        let result = readScope(Doc.scenario(#""command": "true", "env": {"1BAD": "x", "OK": 1}"#))
        #expect(result.issues(at: "scenarios[0].env.1BAD").contains { $0.severity == .error })
        #expect(result.issues(at: "scenarios[0].env.OK").contains { $0.message.contains("a string") })
    }

    @Test func misspelledRunnerGetsAHint() {
        let result = readScope(Doc.execution(#""runner": "unitest", "target": "t""#))
        #expect(result.issues(at: "scenarios[0].execution.runner").contains { $0.hint == "did you mean \"unittest\"?" })
    }

    @Test func runnerNameOfAnAction() {
        #expect(Scenario.Action.command("true").runnerName == "command")
        #expect(Scenario.Action.execution(Execution(runner: "cargo", target: ".")).runnerName == "cargo")
    }
}
