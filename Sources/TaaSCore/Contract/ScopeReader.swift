import Foundation

/// Reads and validates a TestScope document, collecting every problem rather than stopping at the first.
public struct ScopeReader {
    private var issues: [ScopeIssue] = []
    private var locations: [JSONPath: SourceLocation] = [:]
    /// The runner names an `execution` may use.
    private var runnerNames: [String] = RunnerCatalog.knownNames

    /// The result of reading a document: the scope when it is valid, and every issue found.
    public struct Result: Sendable {
        public var scope: TestScope?
        public var issues: [ScopeIssue]
        /// `true` when no issue is an error.
        public var isValid: Bool { scope != nil }
    }

    /// Reads a document's bytes. Never throws: syntax errors are issues too.
    /// - Parameter runners: the runner names an `execution` may use (a registry's
    ///   ``RunnerRegistry/executionRunnerNames``; default: the built-in runners).
    public static func read(
        _ data: Data,
        limits: JSONParser.Limits = JSONParser.Limits(),
        runners: [String] = RunnerCatalog.knownNames
    ) -> Result {
        let parsed: (value: JSONValue, duplicateKeys: [(path: JSONPath, key: String, location: SourceLocation)])
        do {
            parsed = try JSONParser.parse(data, limits: limits)
        } catch {
            return Result(
                scope: nil,
                issues: [ScopeIssue(.error, at: .root, "not valid JSON: \(error.message)", location: error.location)]
            )
        }
        return read(document: parsed.value, duplicateKeys: parsed.duplicateKeys, runners: runners)
    }

    /// Reads a document already parsed (from JSON, or from YAML by a module that reads it), with the
    /// duplicate keys its parser found. Never throws.
    /// - Parameter runners: the runner names an `execution` may use (default: the built-in runners).
    public static func read(
        document value: JSONValue,
        duplicateKeys: [(path: JSONPath, key: String, location: SourceLocation)] = [],
        runners: [String] = RunnerCatalog.knownNames
    ) -> Result {
        let parsed = (value: value, duplicateKeys: duplicateKeys)
        var reader = ScopeReader()
        reader.runnerNames = runners
        for duplicate in parsed.duplicateKeys {
            reader.issues.append(
                ScopeIssue(
                    .error,
                    at: duplicate.path.appending(duplicate.key),
                    "the member \"\(duplicate.key)\" appears more than once in the same object",
                    location: duplicate.location
                )
            )
        }
        reader.collectLocations(parsed.value, path: .root)
        let scope = reader.readScope(parsed.value)
        let fingerprint = ScopeFingerprint.of(parsed.value)
        let sorted = reader.issues.enumerated().sorted { lhs, rhs in
            if lhs.element.severity != rhs.element.severity { return lhs.element.severity == .error }
            return lhs.offset < rhs.offset
        }.map(\.element)
        let valid = !sorted.contains { $0.severity == .error }
        return Result(
            scope: valid
                ? scope.map {
                    var s = $0
                    s.fingerprint = fingerprint
                    return s
                } : nil,
            issues: sorted
        )
    }

    private mutating func collectLocations(_ value: JSONValue, path: JSONPath) {
        switch value {
        case .object(let members):
            for member in members {
                let childPath = path.appending(member.key)
                locations[childPath] = member.location
                collectLocations(member.value, path: childPath)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() { collectLocations(element, path: path.appending(index)) }
        default: break
        }
    }

    // MARK: - Reporting helpers

    mutating func error(_ path: JSONPath, _ message: String, hint: String? = nil) {
        issues.append(ScopeIssue(.error, at: path, message, hint: hint, location: locations[path]))
    }

    mutating func warning(_ path: JSONPath, _ message: String, hint: String? = nil) {
        issues.append(ScopeIssue(.warning, at: path, message, hint: hint, location: locations[path]))
    }

    mutating func wrongType(_ path: JSONPath, found: JSONValue, expected: String) {
        error(path, "expected \(expected), found \(found.kindDescription)\(Self.excerpt(found))")
    }

    static func excerpt(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): " \"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
        case .number(let number): " \(number.text.prefix(40))"
        case .bool(let flag): " \(flag)"
        default: ""
        }
    }

    /// Checks that `value` is an object, warns about members outside `known`, and returns its members by key.
    mutating func members(
        _ value: JSONValue,
        at path: JSONPath,
        known: [String],
        required: [String] = []
    ) -> [String: JSONValue]? {
        guard case .object(let members) = value else {
            wrongType(path, found: value, expected: "an object")
            return nil
        }
        var byKey: [String: JSONValue] = [:]
        for member in members {
            byKey[member.key] = member.value
            if !known.contains(member.key) {
                let suggestion = Spelling.closest(to: member.key, among: known)
                warning(
                    path.appending(member.key),
                    "unknown field \"\(member.key)\" is ignored",
                    hint: suggestion.map { "did you mean \"\($0)\"?" }
                        ?? "known fields: \(known.joined(separator: ", "))"
                )
            }
        }
        for key in required where byKey[key] == nil {
            error(path.appending(key), "required field \"\(key)\" is missing")
        }
        return byKey
    }

    mutating func string(
        _ value: JSONValue?,
        at path: JSONPath,
        maxLength: Int = 100_000,
        pattern: Identifier? = nil
    ) -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value else {
            wrongType(path, found: value, expected: "a string")
            return nil
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            error(path, "expected a non-empty string, found \"\(text)\"")
            return nil
        }
        if text.contains("\u{0}") {
            error(path, "the string contains a NUL character")
            return nil
        }
        if text.count > maxLength {
            error(path, "expected at most \(maxLength) characters, found \(text.count)")
            return nil
        }
        if let pattern, !pattern.matches(text) {
            error(
                path,
                "\"\(Self.excerpt(value).dropFirst(2).dropLast())\" is not a valid \(pattern.noun): \(pattern.rule)"
            )
            return nil
        }
        return text
    }

    mutating func seconds(
        _ value: JSONValue?,
        at path: JSONPath,
        minimum: Double = 0,
        allowZero: Bool = false,
        maximum: Double
    ) -> Duration? {
        guard let value else { return nil }
        guard case .number(let number) = value else {
            wrongType(path, found: value, expected: "a number of seconds")
            return nil
        }
        let seconds = number.double
        guard seconds.isFinite, allowZero ? seconds >= minimum : seconds > minimum, seconds <= maximum else {
            error(
                path,
                "expected a number of seconds \(allowZero ? "≥" : ">") \(Int(minimum)) and ≤ \(Int(maximum)), found \(number.text)"
            )
            return nil
        }
        // Durations are kept in milliseconds: a positive value must not round down to nothing.
        if seconds > 0, seconds < 0.001 {
            error(path, "expected at least 0.001 seconds (one millisecond), found \(number.text)")
            return nil
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    private mutating func enumeration<E: RawRepresentable & CaseIterable>(
        _ value: JSONValue?,
        at path: JSONPath,
        as type: E.Type
    ) -> E? where E.RawValue == String {
        guard let value else { return nil }
        let allowed = E.allCases.map(\.rawValue)
        guard case .string(let text) = value else {
            wrongType(path, found: value, expected: "one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))")
            return nil
        }
        guard let result = E(rawValue: text) else {
            error(
                path,
                "expected one of \(allowed.map { "\"\($0)\"" }.joined(separator: ", ")), found \"\(text)\"",
                hint: Spelling.closest(to: text, among: allowed).map { "did you mean \"\($0)\"?" }
            )
            return nil
        }
        return result
    }

    // MARK: - The contract

    private mutating func readScope(_ document: JSONValue) -> TestScope? {
        guard
            let top = members(
                document,
                at: .root,
                known: [
                    "scope_id", "description", "environment", "lifecycle", "services", "scenarios", "integrity",
                    "$schema",
                ],
                required: ["scope_id", "scenarios"]
            )
        else { return nil }
        let id = string(top["scope_id"], at: JSONPath.root.appending("scope_id"), maxLength: 200, pattern: .identifier)
        let description = string(top["description"], at: JSONPath.root.appending("description"))
        let environment = top["environment"].map { readEnvironment($0, at: JSONPath.root.appending("environment")) }
        let lifecycle = top["lifecycle"].map { readLifecycle($0, at: JSONPath.root.appending("lifecycle")) }
        let services = top["services"].map { readServices($0, at: JSONPath.root.appending("services")) } ?? []
        let scenarios = top["scenarios"].map { readScenarios($0, at: JSONPath.root.appending("scenarios")) } ?? []
        let integrity = top["integrity"].map { readIntegrity($0, at: JSONPath.root.appending("integrity")) }
        guard let id else { return nil }
        return TestScope(
            id: id,
            description: description,
            environment: (environment ?? Environment()) ?? Environment(),
            lifecycle: (lifecycle ?? Lifecycle()) ?? Lifecycle(),
            services: services,
            scenarios: scenarios,
            integrity: (integrity ?? Integrity()) ?? Integrity()
        )
    }

    private mutating func readEnvironment(_ value: JSONValue, at path: JSONPath) -> Environment? {
        guard let fields = members(value, at: path, known: ["type", "image", "dependencies", "env", "limits"]) else {
            return nil
        }
        var environment = Environment()
        if let limits = fields["limits"] { environment.limits = readLimits(limits, at: path.appending("limits")) }
        if let kind = enumeration(fields["type"], at: path.appending("type"), as: Environment.Kind.self) {
            environment.type = kind
        }
        environment.image = string(fields["image"], at: path.appending("image"), maxLength: 500)
        if environment.type == .docker, fields["image"] == nil {
            warning(
                path.appending("image"),
                "no image is named for a docker environment; the default python:3.11-slim is used"
            )
        }
        if let dependencies = fields["dependencies"] {
            let dependenciesPath = path.appending("dependencies")
            if case .array(let elements) = dependencies {
                var seen = Set<String>()
                for (index, element) in elements.enumerated() {
                    guard let requirement = string(element, at: dependenciesPath.appending(index), maxLength: 500)
                    else { continue }
                    if let problem = RequirementSpecifier.problem(requirement) {
                        error(
                            dependenciesPath.appending(index),
                            "expected a requirement specifier by name such as \"requests>=2\" (a package name with "
                                + "optional extras, version specifiers and markers), found \(problem)",
                            hint: "pip runs on the host, so paths, URLs, \"@\" references and pip options are refused; "
                                + "vendor a local package in the workspace (and add its folder to PYTHONPATH in "
                                + "environment.env), or publish it as a wheel where pip finds its packages"
                        )
                        continue
                    }
                    if !seen.insert(requirement.lowercased()).inserted {
                        warning(dependenciesPath.appending(index), "\"\(requirement)\" is listed more than once")
                        continue
                    }
                    environment.dependencies.append(requirement)
                }
            } else {
                wrongType(dependenciesPath, found: dependencies, expected: "an array of requirement strings")
            }
        }
        if let env = fields["env"] { environment.variables = readVariables(env, at: path.appending("env")) }
        return environment
    }

    /// An `env` object: variable names to string values.
    private mutating func readVariables(_ env: JSONValue, at envPath: JSONPath) -> [String: String] {
        guard case .object(let members) = env else {
            wrongType(envPath, found: env, expected: "an object of variable names to string values")
            return [:]
        }
        var variables: [String: String] = [:]
        for variable in members {
            let variablePath = envPath.appending(variable.key)
            if !Identifier.environmentVariable.matches(variable.key) {
                error(
                    variablePath,
                    "\"\(variable.key)\" is not a valid environment variable name: \(Identifier.environmentVariable.rule)"
                )
                continue
            }
            guard case .string(let text) = variable.value else {
                wrongType(variablePath, found: variable.value, expected: "a string")
                continue
            }
            if text.contains("\u{0}") {
                error(variablePath, "the value contains a NUL character")
                continue
            }
            variables[variable.key] = text
        }
        return variables
    }

    private mutating func readLimits(_ value: JSONValue, at path: JSONPath) -> ResourceLimits? {
        guard let fields = members(value, at: path, known: ["memory_mb", "pids", "cpus"]) else { return nil }
        var limits = ResourceLimits()
        func whole(_ key: String, _ range: ClosedRange<Int>) -> Int? {
            guard let value = fields[key] else { return nil }
            if case .number(let number) = value, let count = number.integer, range.contains(count) { return count }
            error(
                path.appending(key),
                "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \(Self.describe(value))"
            )
            return nil
        }
        limits.memoryMB = whole("memory_mb", 16...1_048_576)
        limits.pids = whole("pids", 8...1_000_000)
        if let cpus = fields["cpus"] {
            if case .number(let number) = cpus, number.double >= 0.01, number.double <= 1024 {
                limits.cpus = number.double
            } else {
                error(
                    path.appending("cpus"),
                    "expected a number of CPUs from 0.01 to 1024, found \(Self.describe(cpus))"
                )
            }
        }
        return limits
    }

    private mutating func readIntegrity(_ value: JSONValue, at path: JSONPath) -> Integrity? {
        guard let fields = members(value, at: path, known: ["locked", "ignore"]) else { return nil }
        func patterns(_ key: String) -> [String] {
            guard let list = fields[key] else { return [] }
            guard case .array(let elements) = list else {
                wrongType(
                    path.appending(key),
                    found: list,
                    expected: "an array of glob patterns such as \"tests/**/*.json\""
                )
                return []
            }
            return elements.enumerated().compactMap { index, element in
                let elementPath = path.appending(key).appending(index)
                guard let pattern = string(element, at: elementPath, maxLength: 4096) else { return nil }
                if let problem = WorkspacePath.problem(with: pattern) {
                    error(elementPath, problem)
                    return nil
                }
                return pattern
            }
        }
        return Integrity(locked: patterns("locked"), ignore: patterns("ignore"))
    }

    private mutating func readLifecycle(_ value: JSONValue, at path: JSONPath) -> Lifecycle? {
        guard let fields = members(value, at: path, known: ["setup", "teardown"]) else { return nil }
        return Lifecycle(
            setup: fields["setup"].map { readSteps($0, at: path.appending("setup")) } ?? [],
            teardown: fields["teardown"].map { readSteps($0, at: path.appending("teardown")) } ?? []
        )
    }

    private mutating func readSteps(_ value: JSONValue, at path: JSONPath) -> [LifecycleStep] {
        guard case .array(let elements) = value else {
            wrongType(path, found: value, expected: "an array of commands")
            return []
        }
        return elements.enumerated().compactMap { index, element in
            let stepPath = path.appending(index)
            if case .string = element {
                return string(element, at: stepPath).map { LifecycleStep(command: $0) }
            }
            guard case .object = element else {
                wrongType(
                    stepPath,
                    found: element,
                    expected: "a command string or an object {\"command\", \"timeout_seconds\"}"
                )
                return nil
            }
            guard
                let fields = members(
                    element,
                    at: stepPath,
                    known: ["command", "timeout_seconds"],
                    required: ["command"]
                )
            else { return nil }
            let command = string(fields["command"], at: stepPath.appending("command"))
            let timeout = seconds(fields["timeout_seconds"], at: stepPath.appending("timeout_seconds"), maximum: 86_400)
            return command.map { LifecycleStep(command: $0, timeout: timeout ?? LifecycleStep.defaultTimeout) }
        }
    }

    private mutating func readServices(_ value: JSONValue, at path: JSONPath) -> [Service] {
        guard case .array(let elements) = value else {
            wrongType(path, found: value, expected: "an array of services")
            return []
        }
        var names = Set<String>()
        return elements.enumerated().compactMap { index, element in
            let servicePath = path.appending(index)
            guard
                let fields = members(
                    element,
                    at: servicePath,
                    known: ["name", "command", "ready"],
                    required: ["name", "command"]
                )
            else { return nil }
            let name = string(fields["name"], at: servicePath.appending("name"), maxLength: 100, pattern: .serviceName)
            if let name, !names.insert(name).inserted {
                error(servicePath.appending("name"), "the service name \"\(name)\" is used more than once")
            }
            let command = string(fields["command"], at: servicePath.appending("command"))
            let readiness = fields["ready"].flatMap { readReadiness($0, at: servicePath.appending("ready")) }
            guard let name, let command else { return nil }
            return Service(name: name, command: command, readiness: readiness)
        }
    }

    private mutating func readReadiness(_ value: JSONValue, at path: JSONPath) -> Readiness? {
        guard let fields = members(value, at: path, known: ["http", "tcp", "log", "timeout_seconds"]) else {
            return nil
        }
        let timeout = seconds(fields["timeout_seconds"], at: path.appending("timeout_seconds"), maximum: 3600)
        let given = ["http", "tcp", "log"].filter { fields[$0] != nil }
        guard given.count == 1, let kind = given.first else {
            error(
                path,
                given.isEmpty
                    ? "expected one probe: \"http\" (a URL), \"tcp\" (a port) or \"log\" (a regular expression)"
                    : "expected exactly one probe, found \(given.map { "\"\($0)\"" }.joined(separator: " and "))"
            )
            return nil
        }
        let probePath = path.appending(kind)
        var probe: Readiness.Probe?
        switch kind {
        case "http":
            if let url = string(fields["http"], at: probePath, maxLength: 2000) {
                if let parsed = URLComponents(string: url), parsed.scheme == "http", let host = parsed.host,
                    !host.isEmpty
                {
                    probe = .http(url: url)
                } else {
                    error(
                        probePath,
                        "expected an http:// URL such as \"http://127.0.0.1:3000/health\", found \"\(url)\""
                    )
                }
            }
        case "tcp":
            if case .number(let number) = fields["tcp"]!, let port = number.integer, (1...65535).contains(port) {
                probe = .tcp(port: port)
            } else {
                error(probePath, "expected a port number from 1 to 65535, found \(Self.describe(fields["tcp"]!))")
            }
        default:
            if let pattern = string(fields["log"], at: probePath, maxLength: 1000) {
                if (try? Regex(pattern)) != nil {
                    probe = .log(pattern: pattern)
                } else {
                    error(probePath, "\"\(pattern)\" is not a valid regular expression")
                }
            }
        }
        return probe.map { Readiness(probe: $0, timeout: timeout ?? Readiness.defaultTimeout) }
    }

    static func describe(_ value: JSONValue) -> String {
        if case .number(let number) = value { return number.text }
        return value.kindDescription + excerpt(value)
    }

    private mutating func readScenarios(_ value: JSONValue, at path: JSONPath) -> [Scenario] {
        guard case .array(let elements) = value else {
            wrongType(path, found: value, expected: "an array of scenarios")
            return []
        }
        if elements.isEmpty { error(path, "expected at least one scenario, found an empty array") }
        var firstIndexOfID: [String: Int] = [:]
        return elements.enumerated().compactMap { index, element in
            let scenarioPath = path.appending(index)
            let scenario = readScenario(element, at: scenarioPath)
            // Ids must be unique even among scenarios that have other problems.
            if case .string(let id) = element["id"] {
                if let first = firstIndexOfID[id] {
                    error(
                        scenarioPath.appending("id"),
                        "the id \"\(id)\" is already used by scenarios[\(first)]; ids must be unique"
                    )
                } else {
                    firstIndexOfID[id] = index
                }
            }
            return scenario
        }
    }

    private mutating func readScenario(_ value: JSONValue, at path: JSONPath) -> Scenario? {
        guard
            let fields = members(
                value,
                at: path,
                known: [
                    "id", "type", "description", "execution", "command", "http", "env", "retry_policy",
                    "timeout_seconds",
                ],
                required: ["id"]
            )
        else { return nil }
        let id = string(fields["id"], at: path.appending("id"), maxLength: 200, pattern: .identifier)
        let type = string(fields["type"], at: path.appending("type"), maxLength: 100)
        let description = string(fields["description"], at: path.appending("description"))
        var action: Scenario.Action?
        let given = ["execution", "command", "http"].filter { fields[$0] != nil }
        if given.isEmpty {
            error(
                path,
                "a scenario needs either \"execution\" (a test runner and target), \"command\" (a shell command) or \"http\" (HTTP checks)"
            )
        } else if given.count > 1 {
            error(
                path,
                "a scenario has exactly one of \"execution\", \"command\" and \"http\", found \(given.map { "\"\($0)\"" }.joined(separator: " and "))"
            )
        } else if let execution = fields["execution"] {
            action = readExecution(execution, at: path.appending("execution")).map { .execution($0) }
        } else if let command = fields["command"] {
            action = string(command, at: path.appending("command")).map { .command($0) }
        } else if let http = fields["http"] {
            action = readHTTPChecks(http, at: path.appending("http")).map { .http($0) }
        }
        let retryPolicy = fields["retry_policy"].map { readRetryPolicy($0, at: path.appending("retry_policy")) }
        let timeout = seconds(fields["timeout_seconds"], at: path.appending("timeout_seconds"), maximum: 86_400)
        let environment = fields["env"].map { readVariables($0, at: path.appending("env")) } ?? [:]
        guard let id, let action else { return nil }
        return Scenario(
            id: id,
            type: type ?? "unit",
            description: description,
            action: action,
            retryPolicy: (retryPolicy ?? RetryPolicy()) ?? RetryPolicy(),
            timeout: timeout ?? Scenario.defaultTimeout,
            environment: environment
        )
    }

    private mutating func readExecution(_ value: JSONValue, at path: JSONPath) -> Execution? {
        guard
            let fields = members(
                value,
                at: path,
                known: ["runner", "target", "args", "cwd", "command"],
                required: ["runner", "target"]
            )
        else {
            return nil
        }
        var runner = string(fields["runner"], at: path.appending("runner"), maxLength: 100)
        if let name = runner, !runnerNames.contains(name) {
            error(
                path.appending("runner"),
                "unknown runner \"\(name)\"; expected one of \(runnerNames.map { "\"\($0)\"" }.joined(separator: ", "))",
                hint: Spelling.closest(to: name, among: runnerNames).map { "did you mean \"\($0)\"?" }
            )
            runner = nil
        }
        var target = string(fields["target"], at: path.appending("target"), maxLength: 4096)
        if let relative = target, let problem = WorkspacePath.problem(with: relative) {
            error(path.appending("target"), problem)
            target = nil
        }
        var arguments: [String] = []
        if let args = fields["args"] {
            if case .array(let elements) = args {
                for (index, element) in elements.enumerated() {
                    guard case .string(let text) = element else {
                        wrongType(path.appending("args").appending(index), found: element, expected: "a string")
                        continue
                    }
                    if text.contains("\u{0}") {
                        error(path.appending("args").appending(index), "the argument contains a NUL character")
                        continue
                    }
                    arguments.append(text)
                }
            } else {
                wrongType(path.appending("args"), found: args, expected: "an array of argument strings")
            }
        }
        var workingDirectory = string(fields["cwd"], at: path.appending("cwd"), maxLength: 4096)
        if let relative = workingDirectory, let problem = WorkspacePath.problem(with: relative) {
            error(path.appending("cwd"), problem)
            workingDirectory = nil
        }
        let command = string(fields["command"], at: path.appending("command"))
        if runner == RunnerCatalog.commandRunner, fields["command"] == nil {
            error(
                path.appending("command"),
                "the \"\(RunnerCatalog.commandRunner)\" runner needs \"command\", the shell command that writes the JUnit XML file named by \"target\""
            )
        } else if let name = runner, name != RunnerCatalog.commandRunner, fields["command"] != nil {
            error(
                path.appending("command"),
                "only the \"\(RunnerCatalog.commandRunner)\" runner takes a command; the \"\(name)\" runner runs its own tool (pass extra arguments in \"args\")"
            )
        }
        guard let runner, let target else { return nil }
        return Execution(
            runner: runner,
            target: target,
            arguments: arguments,
            workingDirectory: workingDirectory,
            command: command
        )
    }

    private mutating func readRetryPolicy(_ value: JSONValue, at path: JSONPath) -> RetryPolicy? {
        guard let fields = members(value, at: path, known: ["attempts", "backoff", "delay_seconds"]) else { return nil }
        var policy = RetryPolicy()
        if let attempts = fields["attempts"] {
            if case .number(let number) = attempts, let count = number.integer, (1...100).contains(count) {
                policy.attempts = count
            } else {
                error(
                    path.appending("attempts"),
                    "expected a whole number from 1 to 100, found \(Self.describe(attempts))"
                )
            }
        }
        if let backoff = enumeration(fields["backoff"], at: path.appending("backoff"), as: RetryPolicy.Backoff.self) {
            policy.backoff = backoff
        }
        if let delay = seconds(
            fields["delay_seconds"],
            at: path.appending("delay_seconds"),
            allowZero: true,
            maximum: 3600
        ) {
            policy.delay = delay
        }
        return policy
    }
}
