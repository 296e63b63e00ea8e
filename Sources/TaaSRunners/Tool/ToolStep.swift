import Foundation
import TaaSCore

/// A test tool's command line as a sandbox step, shared by the tool runners.
///
/// The tool runs through `/bin/sh`, so a tool that is not on the sandbox's `PATH` ends with exit code
/// 127 (which ``ToolJudgement`` reports as "not installed"). The step can also keep the tool's standard
/// output in an artifact (the report keeps only its tail, and runners that read per-test lines need
/// all of it) and copy a report file the tool writes into the artifacts folder.
public struct ToolStep: Sendable {
    /// The program's name as looked up on `PATH`, for messages (such as `go`).
    public var tool: String
    /// The program and its arguments.
    public var arguments: [String]
    /// The artifact that receives the tool's standard output (then replayed on the step's own output).
    public var outputArtifact: String?
    /// Also send the tool's standard error into ``outputArtifact`` (tools that print progress there).
    public var mergeStandardError = false
    /// A file the tool writes (relative to the working directory), removed before the run and copied
    /// into the artifacts folder as ``reportArtifact`` afterwards.
    public var reportFile: String?
    public var reportArtifact: String?

    public init(
        tool: String,
        arguments: [String],
        outputArtifact: String? = nil,
        mergeStandardError: Bool = false,
        reportFile: String? = nil,
        reportArtifact: String? = nil
    ) {
        self.tool = tool
        self.arguments = arguments
        self.outputArtifact = outputArtifact
        self.mergeStandardError = mergeStandardError
        self.reportFile = reportFile
        self.reportArtifact = reportArtifact
    }

    /// The script: `$1` output artifact, `$2` report file, `$3` its copy, then the tool's command line.
    private static let script = """
        out=$1; report=$2; copy=$3; merge=$4; shift 4
        if [ -n "$report" ]; then rm -f -- "$report"; fi
        if [ -n "$out" ]; then
          if [ "$merge" = 1 ]; then "$@" >"$out" 2>&1; else "$@" >"$out"; fi
          code=$?
          cat -- "$out"
        else
          "$@"
          code=$?
        fi
        if [ -n "$report" ] && [ -f "$report" ]; then cp -f -- "$report" "$copy"; fi
        exit $code
        """

    /// The step for one attempt, in `execution`'s working directory with the scenario's variables.
    func request(
        for attempt: RunnerAttempt,
        in sandbox: any SandboxInstance,
        environment: [String: String] = [:]
    ) -> StepRequest {
        StepRequest(
            label: attempt.label,
            arguments: [
                "/bin/sh", "-c", Self.script, "taas-\(tool)",
                outputArtifact.map { "\(sandbox.artifactsPath)/\($0)" } ?? "",
                reportFile ?? "", reportArtifact.map { "\(sandbox.artifactsPath)/\($0)" } ?? "",
                mergeStandardError ? "1" : "0",
            ] + arguments,
            workingDirectory: attempt.execution?.workingDirectory,
            environment: environment.merging(attempt.scenario.environment) { $1 },
            timeout: attempt.scenario.timeout
        )
    }
}
