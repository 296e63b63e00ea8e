/// A way of running a scenario and reading its results: a test tool (pytest) or a shell command.
///
/// Adding a runner means adding a type that conforms to this protocol and registering it in a
/// ``RunnerRegistry``; the engine does not change.
public protocol Runner: Sendable {
    /// The name scopes use in `execution.runner`.
    var name: String { get }

    /// Runs one attempt of a scenario in the sandbox and judges it.
    /// - Throws: ``SandboxError`` only when the sandbox itself broke; a failing test is a result.
    func run(_ attempt: RunnerAttempt, in sandbox: any SandboxInstance) async throws(SandboxError) -> RunnerResult
}

/// One attempt of a scenario, as a runner sees it.
public struct RunnerAttempt: Sendable {
    public var scenario: Scenario
    /// 1 for the first attempt.
    public var number: Int
    /// A unique name for this attempt's files, such as `UNIT-001.attempt-1`.
    public var label: String
    /// The bounds on the cases, names, messages and reports the runner reads (see ``CaseLimits``).
    public var limits: CaseLimits
    /// The run's trace, for runners that pass a case's span on themselves (an HTTP check's
    /// `traceparent` header); steps get theirs from the sandbox.
    public var trace: TraceContext?

    public init(
        scenario: Scenario,
        number: Int,
        label: String,
        limits: CaseLimits = CaseLimits(),
        trace: TraceContext? = nil
    ) {
        self.scenario = scenario
        self.number = number
        self.label = label
        self.limits = limits
        self.trace = trace
    }

    /// The scenario's execution, when it has one.
    public var execution: Execution? {
        if case .execution(let execution) = scenario.action { return execution }
        return nil
    }
}

/// A runner's judgement of one attempt.
public struct RunnerResult: Sendable {
    /// `pass`, `fail` or `error`.
    public var verdict: Verdict
    public var outcome: StepOutcome
    /// The test cases the runner reported, if it reports them.
    public var cases: [CaseResult]
    /// Why the attempt has its verdict, when it is more than an exit code.
    public var message: String?

    public init(verdict: Verdict, outcome: StepOutcome, cases: [CaseResult] = [], message: String? = nil) {
        self.verdict = verdict
        self.outcome = outcome
        self.cases = cases
        self.message = message
    }
}

/// The runners a run can use, by name.
///
/// Every kind of scenario is run by the runner registered under its ``Scenario/Action/runnerName``:
/// `command` for shell commands, and the execution's `runner` (such as `pytest`) otherwise.
public struct RunnerRegistry: Sendable {
    private var runners: [String: any Runner]

    /// A registry of `runners`, each under its ``Runner/name``; a later runner of the same name wins.
    public init(_ runners: [any Runner]) {
        self.runners = Dictionary(runners.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    }

    /// A registry of test runners plus the runner for scenarios with a `command`.
    public init(runners: [any Runner], commandRunner: any Runner) {
        self.init(runners + [commandRunner])
        self.runners["command"] = commandRunner
    }

    /// The runner for a scenario, or `nil` when none is registered for it.
    public func runner(for scenario: Scenario) -> (any Runner)? {
        runners[scenario.action.runnerName]
    }

    /// The same registry with `runner` added (or replacing the one of the same name).
    public func adding(_ runner: any Runner) -> RunnerRegistry {
        var copy = self
        copy.runners[runner.name] = runner
        return copy
    }

    /// The names of the registered runners.
    public var names: [String] { runners.keys.sorted() }

    /// The runners an `execution` may name: every registered runner but those of `command` and
    /// `http` scenarios; the built-in ones first, in ``RunnerCatalog/knownNames``'s order, then the
    /// others sorted. Pass them to ``TestScope/load(from:runners:)`` so that a scope may use a
    /// runner added with ``adding(_:)``.
    public var executionRunnerNames: [String] {
        let names = Set(runners.keys).subtracting(Scenario.Action.reservedRunnerNames)
        let builtIn = RunnerCatalog.knownNames.filter(names.contains)
        return builtIn + names.subtracting(builtIn).sorted()
    }
}
