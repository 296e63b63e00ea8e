import Foundation
import TaaSCore
import Testing

/// What the validator accepts and the values it produces.
@Suite struct ScopeValidationTests {
    // MARK: - Minimal scope and defaults

    @Test func minimalScopeGetsEveryDefault() throws {
        let result = readScope(Doc.scope())
        #expect(result.issues.isEmpty, "\(result.issues)")
        let scope = try #require(result.scope)
        #expect(scope.id == "s")
        #expect(scope.description == nil)
        #expect(scope.environment == Environment(type: .jail, image: nil, dependencies: [], variables: [:]))
        #expect(scope.lifecycle == Lifecycle(setup: [], teardown: []))
        #expect(scope.services.isEmpty)
        let scenario = try #require(scope.scenarios.first)
        #expect(scenario.id == "A")
        #expect(scenario.type == "unit")
        #expect(scenario.description == nil)
        #expect(scenario.action == .command("true"))
        #expect(scenario.timeout == .seconds(600))
        #expect(scenario.retryPolicy.attempts == 1)
        #expect(scenario.retryPolicy.backoff == .none)
        #expect(scenario.retryPolicy.delay == .seconds(1))
    }

    @Test func publishedDefaultConstants() {
        #expect(Scenario.defaultTimeout == .seconds(600))
        #expect(LifecycleStep.defaultTimeout == .seconds(300))
        #expect(Readiness.defaultTimeout == .seconds(30))
        #expect(RetryPolicy() == RetryPolicy(attempts: 1, backoff: .none, delay: .seconds(1)))
        #expect(Environment().type == .jail)
    }

    @Test func emptyRetryPolicyObjectKeepsTheDefaults() throws {
        let scope = try #require(readScope(Doc.scenario(#""command": "x", "retry_policy": {}"#)).scope)
        #expect(scope.scenarios[0].retryPolicy == RetryPolicy())
    }

    @Test func retryPolicyFieldsAreRead() throws {
        let text = Doc.scenario(
            #""command": "x", "retry_policy": {"attempts": 5, "backoff": "exponential", "delay_seconds": 0.25}"#
        )
        let scope = try #require(readScope(text).scope)
        #expect(
            scope.scenarios[0].retryPolicy == RetryPolicy(attempts: 5, backoff: .exponential, delay: .milliseconds(250))
        )
    }

    @Test(arguments: ["3.0", "3e0", "30e-1"])
    func wholeNumberAttemptsWrittenWithAFractionOrExponentAreAccepted(attempts: String) throws {
        let text = Doc.scenario(#""command": "x", "retry_policy": {"attempts": "# + attempts + "}")
        let scope = try #require(readScope(text).scope)
        #expect(scope.scenarios[0].retryPolicy.attempts == 3)
    }

    @Test(arguments: [("1", 1), ("100", 100)])
    func attemptsBoundsAreInclusive(text: String, attempts: Int) throws {
        let scope = try #require(
            readScope(Doc.scenario(#""command": "x", "retry_policy": {"attempts": "# + text + "}")).scope
        )
        #expect(scope.scenarios[0].retryPolicy.attempts == attempts)
    }

    @Test func zeroDelayIsAllowed() throws {
        let text = Doc.scenario(#""command": "x", "retry_policy": {"backoff": "fixed", "delay_seconds": 0}"#)
        let scope = try #require(readScope(text).scope)
        #expect(scope.scenarios[0].retryPolicy.delay == .zero)
    }

    @Test(arguments: [("0.5", Duration.milliseconds(500)), ("86400", .seconds(86_400)), ("1.25", .milliseconds(1250))])
    func scenarioTimeoutIsRead(text: String, expected: Duration) throws {
        let scope = try #require(readScope(Doc.scenario(#""command": "x", "timeout_seconds": "# + text)).scope)
        #expect(scope.scenarios[0].timeout == expected)
    }

    @Test(
        arguments: [
            Doc.scenario(#""command": "x", "timeout_seconds": 0.0001"#),
            Doc.scope(#""lifecycle": {"setup": [{"command": "x", "timeout_seconds": 0.0004}]}"#),
            Doc.ready(#""tcp": 1, "timeout_seconds": 1e-9"#),
        ])
    func aPositiveTimeoutNeverBecomesZero(document: String) {
        // Below one millisecond a timeout would round to zero: it is rejected with its path.
        let result = readScope(document)
        #expect(result.scope == nil)
        #expect(result.issues.contains { $0.severity == .error && $0.message.contains("at least 0.001 seconds") })
    }

    @Test func scenarioTypeAndDescriptionAreRead() throws {
        let text = Doc.scenario(#""type": "e2e", "description": "End to end.", "command": "x""#)
        let scenario = try #require(readScope(text).scope?.scenarios.first)
        #expect(scenario.type == "e2e")
        #expect(scenario.description == "End to end.")
    }

    @Test(arguments: [
        "tests", "tests/test_core.py", "./tests/test_core.py", "tests/../tests/test_core.py",
        "tests/test_core.py::test_one",
    ])
    func executionTargetsInsideTheWorkspaceAreAccepted(target: String) throws {
        let text = Doc.execution(#""runner": "pytest", "target": "# + "\"\(target)\"")
        let scope = try #require(readScope(text).scope)
        #expect(scope.scenarios[0].action == .execution(Execution(runner: "pytest", target: target)))
    }

    // MARK: - Environment

    @Test(arguments: Environment.Kind.allCases)
    func everyEnvironmentKindIsAccepted(kind: Environment.Kind) throws {
        let image = kind == .docker ? #", "image": "alpine:3""# : ""
        let scope = try #require(
            readScope(Doc.scope(#""environment": {"type": ""# + kind.rawValue + "\"" + image + "}")).scope
        )
        #expect(scope.environment.type == kind)
    }

    @Test func environmentVariablesAreRead() throws {
        let text = Doc.scope(#""environment": {"env": {"PORT": "3000", "_X": "", "Mixed_1": "a=b"}}"#)
        let scope = try #require(readScope(text).scope)
        #expect(scope.environment.variables == ["PORT": "3000", "_X": "", "Mixed_1": "a=b"])
    }

    @Test func dockerWithoutImageIsAWarningOnly() throws {
        let result = readScope(Doc.scope(#""environment": {"type": "docker"}"#))
        #expect(result.isValid)
        let warning = try #require(result.warnings.first)
        #expect(warning.path.description == "environment.image")
        #expect(warning.message.contains("python:3.11-slim"))
        #expect(result.scope?.environment.image == nil)
    }

    @Test func duplicateDependencyIsAWarningAndListedOnce() throws {
        let result = readScope(Doc.scope(#""environment": {"dependencies": ["pytest", "requests", "PyTest"]}"#))
        #expect(result.isValid)
        #expect(result.scope?.environment.dependencies == ["pytest", "requests"])
        let warning = try #require(result.warnings.first)
        #expect(warning.path.description == "environment.dependencies[2]")
        #expect(warning.message.contains("more than once"))
    }

    // MARK: - Lifecycle

    @Test func lifecycleStepsAsStringsAndObjects() throws {
        let text = Doc.scope(
            #""lifecycle": {"setup": ["make db", {"command": "make seed", "timeout_seconds": 12.5}, {"command": "make warm"}], "teardown": [{"command": "make clean", "timeout_seconds": 86400}]}"#
        )
        let result = readScope(text)
        #expect(result.issues.isEmpty, "\(result.issues)")
        let lifecycle = try #require(result.scope?.lifecycle)
        #expect(
            lifecycle.setup == [
                LifecycleStep(command: "make db", timeout: .seconds(300)),
                LifecycleStep(command: "make seed", timeout: .milliseconds(12_500)),
                LifecycleStep(command: "make warm", timeout: .seconds(300)),
            ]
        )
        #expect(lifecycle.teardown == [LifecycleStep(command: "make clean", timeout: .seconds(86_400))])
    }

    @Test func lifecycleWithOnlySetup() throws {
        let lifecycle = try #require(readScope(Doc.scope(#""lifecycle": {"setup": ["a"]}"#)).scope?.lifecycle)
        #expect(lifecycle.setup.map(\.command) == ["a"])
        #expect(lifecycle.teardown.isEmpty)
    }

    // MARK: - Services

    @Test func servicesWithEachProbeAndDefaults() throws {
        let text = Doc.scope(
            #"""
            "services": [
              {"name": "web", "command": "./web", "ready": {"http": "http://127.0.0.1:8080/health"}},
              {"name": "db.primary", "command": "./db", "ready": {"tcp": 5432, "timeout_seconds": 90}},
              {"name": "worker_1", "command": "./worker", "ready": {"log": "^ready on port \\d+$"}},
              {"name": "plain", "command": "./plain"}
            ]
            """#
        )
        let result = readScope(text)
        #expect(result.issues.isEmpty, "\(result.issues)")
        let services = try #require(result.scope?.services)
        #expect(
            services == [
                Service(
                    name: "web",
                    command: "./web",
                    readiness: Readiness(probe: .http(url: "http://127.0.0.1:8080/health"), timeout: .seconds(30))
                ),
                Service(
                    name: "db.primary",
                    command: "./db",
                    readiness: Readiness(probe: .tcp(port: 5432), timeout: .seconds(90))
                ),
                Service(
                    name: "worker_1",
                    command: "./worker",
                    readiness: Readiness(probe: .log(pattern: #"^ready on port \d+$"#))
                ),
                Service(name: "plain", command: "./plain", readiness: nil),
            ]
        )
    }

    @Test(arguments: [1, 65535])
    func tcpPortBoundsAreInclusive(port: Int) throws {
        let scope = try #require(readScope(Doc.ready(#""tcp": "# + String(port))).scope)
        #expect(scope.services[0].readiness?.probe == .tcp(port: port))
    }

    // MARK: - Unknown fields

    @Test(arguments: [
        (Doc.scenario(#""command": "x", "retry_polcy": {"attempts": 3}"#), "scenarios[0].retry_polcy", "retry_policy"),
        (Doc.scope(#""scenarioss": []"#), "scenarioss", "scenarios"),
        (Doc.scope(#""descripton": "x""#), "descripton", "description"),
        (Doc.scope(#""enviroment": {}"#), "enviroment", "environment"),
        (Doc.scope(#""environment": {"dependecies": []}"#), "environment.dependecies", "dependencies"),
        (Doc.scope(#""lifecycle": {"setp": []}"#), "lifecycle.setp", "setup"),
        (Doc.scenario(#""command": "x", "timout_seconds": 5"#), "scenarios[0].timout_seconds", "timeout_seconds"),
        (
            Doc.execution(#""runner": "pytest", "target": "t", "targett": "u""#), "scenarios[0].execution.targett",
            "target"
        ),
        (Doc.ready(#""tcp": 1, "timeout_second": 5"#), "services[0].ready.timeout_second", "timeout_seconds"),
        (
            Doc.scenario(#""command": "x", "retry_policy": {"attemps": 2}"#), "scenarios[0].retry_policy.attemps",
            "attempts"
        ),
    ])
    func unknownFieldsAreWarningsWithADidYouMeanHint(document: String, path: String, suggestion: String) throws {
        let result = readScope(document)
        #expect(result.isValid, "\(result.issues)")
        #expect(result.errors.isEmpty)
        let warning = try #require(result.issues(at: path).first, "\(result.issues)")
        #expect(warning.severity == .warning)
        #expect(
            warning.message
                == "unknown field \"\(path.split(separator: ".").last!.split(separator: "]").last!)\" is ignored"
        )
        #expect(warning.hint == "did you mean \"\(suggestion)\"?")
    }

    @Test func unknownFieldIsIgnored() throws {
        let result = readScope(Doc.scenario(#""command": "x", "retry_polcy": {"attempts": 3}"#))
        #expect(result.scope?.scenarios[0].retryPolicy == RetryPolicy())
    }

    @Test func misspeltRequiredTopLevelFieldIsAnErrorAndAHint() throws {
        let text = #"{"scope_id": "s", "scenarioss": [{"id": "A", "command": "x"}]}"#
        let result = readScope(text)
        #expect(!result.isValid)
        let missing = try #require(result.issues(at: "scenarios").first)
        #expect(missing.severity == .error)
        #expect(missing.message == "required field \"scenarios\" is missing")
        let unknown = try #require(result.issues(at: "scenarioss").first)
        #expect(unknown.severity == .warning)
        #expect(unknown.hint == "did you mean \"scenarios\"?")
    }

    @Test func farFromAnyKnownFieldListsTheKnownFields() throws {
        let result = readScope(Doc.scenario(#""command": "x", "retry_policy": {"zzzzzzzz": 1}"#))
        #expect(result.isValid)
        let warning = try #require(result.issues(at: "scenarios[0].retry_policy.zzzzzzzz").first)
        #expect(warning.hint == "known fields: attempts, backoff, delay_seconds")
    }

    @Test func schemaMemberIsAcceptedSilently() {
        let result = readScope(Doc.scope(#""$schema": "https://maestro-taas.dev/schema/testscope-2.0.json""#))
        #expect(result.isValid)
        #expect(result.issues.isEmpty)
    }

    // MARK: - Every problem, ordering, locations

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let text = #"""
            {
              "scope_id": 42,
              "environment": {"type": "dokcer", "env": {"1BAD": "x"}},
              "services": [{"name": "db", "command": "./db", "ready": {"tcp": 70000}}],
              "scenarios": [
                {"id": "A"},
                {"id": "B", "command": "x", "retry_policy": {"attempts": 0, "backoff": "linaer", "delay_seconds": -1}},
                {"id": "C", "execution": {"runner": "pytset", "target": "/etc/passwd"}, "timeout_seconds": 0}
              ]
            }
            """#
        let result = readScope(text)
        #expect(!result.isValid)
        #expect(result.scope == nil)
        let paths = Set(result.errors.map(\.path.description))
        let expected: Set<String> = [
            "scope_id", "environment.type", "environment.env.1BAD", "services[0].ready.tcp", "scenarios[0]",
            "scenarios[1].retry_policy.attempts", "scenarios[1].retry_policy.backoff",
            "scenarios[1].retry_policy.delay_seconds",
            "scenarios[2].execution.runner", "scenarios[2].execution.target", "scenarios[2].timeout_seconds",
        ]
        #expect(result.errors.count >= 4)
        #expect(paths == expected, "\(result.errors)")
    }

    @Test func fourDistinctErrorsGiveAtLeastFourErrorIssues() {
        let text = Doc.scope(
            #""environment": "docker", "lifecycle": {"setup": "make"}"#,
            scenarios:
                #"[{"id": "A", "command": "x", "timeout_seconds": -1}, {"id": "B", "command": "y", "retry_policy": {"attempts": 0}}]"#
        )
        let result = readScope(text)
        #expect(!result.isValid)
        #expect(result.errors.count >= 4)
        #expect(
            result.errors.map(\.path.description) == [
                "environment", "lifecycle.setup", "scenarios[0].timeout_seconds", "scenarios[1].retry_policy.attempts",
            ]
        )
    }

    @Test func errorsComeBeforeWarningsAndEachKeepsDocumentOrder() {
        let text = Doc.scope(
            #""descripton": "x", "environment": {"type": "dokcer", "imag": "y"}"#,
            scenarios: #"[{"id": "A", "command": "x", "timeout_seconds": 0, "retry_polcy": {}}]"#
        )
        let result = readScope(text)
        #expect(result.issues.map(\.severity) == [.error, .error, .warning, .warning, .warning])
        #expect(
            result.issues.map(\.path.description) == [
                "environment.type", "scenarios[0].timeout_seconds", "descripton", "environment.imag",
                "scenarios[0].retry_polcy",
            ]
        )
    }

    @Test func issuesCarryTheSourceLocationOfTheirMember() throws {
        let text = """
            {
              "scope_id": "s",
              "scenarios": [
                {"id": "A", "command": "x",
                 "retry_policy": {"attempts": 0}}
              ]
            }
            """
        let result = readScope(text)
        let issue = try #require(result.issues(at: "scenarios[0].retry_policy.attempts").first)
        #expect(issue.location == TaaSCore.SourceLocation(line: 5, column: 23))
        #expect(
            issue.description
                == "error: scenarios[0].retry_policy.attempts: expected a whole number from 1 to 100, found 0 (line 5, column 23)"
        )
    }

    @Test func issueDescriptionIncludesTheHint() throws {
        let result = readScope(Doc.scenario(#""command": "x", "retry_policy": {"backoff": "linaer"}"#))
        let issue = try #require(result.issues(at: "scenarios[0].retry_policy.backoff").first)
        #expect(
            issue.description.hasPrefix(
                "error: scenarios[0].retry_policy.backoff: expected one of \"none\", \"fixed\", \"linear\", \"exponential\", found \"linaer\" (line 1, column "
            )
        )
        #expect(issue.description.hasSuffix("; did you mean \"linear\"?"))
    }

    @Test func scopeIssueDescriptionWithoutLocationOrHint() {
        #expect(ScopeIssue(.warning, at: JSONPath([.key("a"), .index(2)]), "hm").description == "warning: a[2]: hm")
        #expect(ScopeIssue(.error, at: .root, "x", location: .unknown).description == "error: $: x")
    }

    @Test func aValidScopeHasNoErrorsAndAnInvalidOneHasNoScope() {
        let valid = readScope(Doc.scope())
        #expect(valid.isValid && valid.scope != nil)
        let invalid = readScope(Doc.scope(scenarios: "[]"))
        #expect(!invalid.isValid && invalid.scope == nil)
    }
}
