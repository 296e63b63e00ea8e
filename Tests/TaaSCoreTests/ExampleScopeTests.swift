import Foundation
import TaaSCore
import Testing

/// The example scopes shipped with the package are valid and read as documented.
@Suite struct ExampleScopeTests {
    @Test func seedScopeIsValidWithNoIssuesAtAll() throws {
        let result = ScopeReader.read(try Fixtures.data("examples/seed-scope.json"))
        #expect(result.isValid)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.issues.isEmpty, "\(result.issues)")
    }

    @Test func seedScopeHasTheDocumentedContent() throws {
        let result = ScopeReader.read(try Fixtures.data("examples/seed-scope.json"))
        let scope = try #require(result.scope)
        #expect(scope.id == "scope-v2")
        #expect(scope.description == nil)

        #expect(scope.environment.type == .docker)
        #expect(scope.environment.image == "python:3.11-slim")
        #expect(scope.environment.dependencies == ["pytest", "requests"])
        #expect(scope.environment.variables.isEmpty)

        #expect(scope.lifecycle.setup == [LifecycleStep(command: "python scripts/seed_db.py", timeout: .seconds(300))])
        #expect(
            scope.lifecycle.teardown == [LifecycleStep(command: "python scripts/clean_db.py", timeout: .seconds(300))]
        )
        #expect(scope.services.isEmpty)

        try #require(scope.scenarios.count == 2)
        let unit = scope.scenarios[0]
        #expect(unit.id == "UNIT-001")
        #expect(unit.type == "unit")
        #expect(unit.action == .execution(Execution(runner: "pytest", target: "tests/test_core.py")))
        #expect(unit.retryPolicy == RetryPolicy(attempts: 1, backoff: .none, delay: .seconds(1)))
        #expect(unit.timeout == .seconds(600))

        let api = scope.scenarios[1]
        #expect(api.id == "API-001")
        #expect(api.type == "integration")
        #expect(api.action == .command("curl -f http://localhost:3000/health"))
        #expect(api.retryPolicy.attempts == 3)
        #expect(api.retryPolicy.backoff == .linear)
        #expect(api.retryPolicy.delay == .seconds(1))
        #expect(api.timeout == .seconds(600))
    }

    @Test func seedScopeFingerprintIsSetAndMatchesTheDocument() throws {
        let data = try Fixtures.data("examples/seed-scope.json")
        let scope = try #require(ScopeReader.read(data).scope)
        let document = try JSONParser.parse(data).value
        #expect(scope.fingerprint == ScopeFingerprint.of(document))
        #expect(scope.fingerprint.hasPrefix("sha256:"))
    }

    @Test func pilotScopeIsValid() throws {
        let result = ScopeReader.read(try Fixtures.data("examples/pilot-api/scope.json"))
        #expect(result.isValid)
        #expect(result.issues.isEmpty, "\(result.issues)")
    }

    @Test func pilotScopeHasTheDocumentedContent() throws {
        let scope = try #require(ScopeReader.read(try Fixtures.data("examples/pilot-api/scope.json")).scope)
        #expect(scope.id == "pilot-api-gateway")
        #expect(scope.description?.hasPrefix("Pilot 1: API Gateway") == true)
        #expect(scope.environment.type == .venv)
        #expect(scope.environment.image == nil)
        #expect(scope.environment.dependencies == ["pytest"])
        #expect(scope.lifecycle.setup.map(\.command) == ["python3 scripts/seed_db.py"])
        #expect(scope.lifecycle.teardown.map(\.command) == ["python3 scripts/clean_db.py"])

        try #require(scope.services.count == 1)
        let gateway = scope.services[0]
        #expect(gateway.name == "gateway")
        #expect(gateway.command == "python3 -m gateway.server --port 3000")
        #expect(
            gateway.readiness == Readiness(probe: .http(url: "http://127.0.0.1:3000/health"), timeout: .seconds(20))
        )

        #expect(scope.scenarios.map(\.id) == ["UNIT-001", "API-001", "API-002"])
        #expect(scope.scenarios.allSatisfy { $0.timeout == .seconds(60) })
        #expect(scope.scenarios[0].action == .execution(Execution(runner: "pytest", target: "tests/test_core.py")))
        #expect(scope.scenarios[1].retryPolicy == RetryPolicy(attempts: 3, backoff: .linear, delay: .seconds(1)))
        #expect(scope.scenarios[2].retryPolicy == RetryPolicy())
        guard case .command(let command) = scope.scenarios[2].action else {
            Issue.record("API-002 should be a command scenario")
            return
        }
        // Escaped quotes inside the command survive.
        #expect(command.contains(#"r["prefix"]"#))
        #expect(command.hasPrefix("python3 -c '"))
    }

    @Test(arguments: ["examples/seed-scope.json", "examples/pilot-api/scope.json", "examples/runners-mix/scope.json"])
    func loadFromFileReturnsTheScopeAndNoWarnings(relativePath: String) throws {
        let loaded = try TestScope.load(from: Fixtures.url(relativePath))
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.scope == ScopeReader.read(try Fixtures.data(relativePath)).scope)
    }

    @Test func loadFromAMissingFileThrowsAScopeFileError() throws {
        let missing = Fixtures.url("examples/does-not-exist-\(UUID().uuidString).json")
        #expect(throws: ScopeFileError.self) { try TestScope.load(from: missing) }
        do {
            _ = try TestScope.load(from: missing)
        } catch let error as ScopeFileError {
            #expect(error.path == missing.path)
            #expect(error.description.hasPrefix("cannot read the scope file \(missing.path): "))
        }
    }

    @Test func parseThrowsInvalidScopeErrorWithEveryIssueAndTheSource() throws {
        let text = Doc.scope(#""environment": "docker""#, scenarios: "[]")
        do {
            _ = try TestScope.parse(Data(text.utf8), source: "scope.json")
            Issue.record("an invalid scope should not parse")
        } catch {
            #expect(error.source == "scope.json")
            #expect(error.errors.count == 2)
            #expect(error.errors.map(\.path.description) == ["environment", "scenarios"])
            #expect(error.description.hasPrefix("invalid TestScope scope.json: 2 problems\n"))
            #expect(error.description.contains("  error: environment: expected an object, found a string \"docker\""))
        }
    }

    @Test func invalidScopeErrorDescriptionUsesTheSingularForOneProblem() {
        let error = InvalidScopeError(issues: [ScopeIssue(.error, at: .root, "bad")])
        #expect(error.description == "invalid TestScope: 1 problem\n  error: $: bad")
    }

    @Test func parseReturnsWarningsForAValidScope() throws {
        let text = Doc.scope(#""descripton": "x""#)
        let parsed = try TestScope.parse(Data(text.utf8))
        #expect(parsed.scope.id == "s")
        #expect(parsed.warnings.count == 1)
        #expect(parsed.warnings.first?.hint == "did you mean \"description\"?")
    }
}
