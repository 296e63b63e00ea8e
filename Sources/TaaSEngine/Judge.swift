import Crypto
import Foundation
import TaaSCore
import TaaSIntegrity
import TaaSRunners
import TaaSScopeYAML

/// The library's front door: reads a scope with the runners in use, checks its lock, runs it and
/// signs its report. `taas run` is this, plus argument parsing and a console.
///
/// ```swift
/// let (scope, _) = try Judge.loadScope(at: scopeFile)
/// var request = RunRequest(scopeFile: scopeFile, outputDirectory: out, lock: .required, signingKey: key)
/// request.options.limits = ResourceLimits(memoryMB: 512)
/// let outcome = try await Judge.run(scope, request)
/// print(outcome.report.verdict)
/// ```
public enum Judge {
    /// Reads and validates the scope in `url` (a JSON or YAML file, or a folder with a `scope.json`
    /// or `scope.yaml`); its executions may name any runner of `runners`.
    /// - Throws: ``InvalidScopeError`` with every problem, or ``ScopeFileError`` when the file cannot be read.
    public static func loadScope(
        at url: URL,
        runners: RunnerRegistry = .standard
    ) throws -> (scope: TestScope, warnings: [ScopeIssue]) {
        try TestScope.load(from: url, runners: runners.executionRunnerNames, yaml: YAMLScopeReader())
    }

    /// Prepares `scope` to run as `request` asks: checks the workspace, reads the signing key and
    /// checks the lock, before anything runs (a lock mismatch is not thrown: the run then ends as
    /// verdict `error` with nothing run).
    /// - Throws: ``RunRequestError`` when the workspace is not a folder or the key cannot be read.
    public static func prepare(_ scope: TestScope, _ request: RunRequest) throws(RunRequestError) -> PreparedRun {
        var options = request.options
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.workspace.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw RunRequestError(.workspace, "the workspace \(options.workspace.path) is not a folder")
        }
        let key: Curve25519.Signing.PrivateKey?
        do {
            key = try request.signingKey.map { url throws(IntegrityError) in try SigningKeys.readPrivateKey(at: url) }
        } catch {
            throw RunRequestError(.signingKey, error.message)
        }
        options.scopeFile = request.scopeFile
        options.lockCheck = request.lock.check(scope, scopeFile: request.scopeFile, workspace: options.workspace)
        return PreparedRun(scope: scope, options: options, signingKey: key?.rawRepresentation)
    }

    /// Prepares and runs `scope` as `request` asks (see ``prepare(_:_:)`` and ``PreparedRun/run(observer:interruption:)``).
    public static func run(
        _ scope: TestScope,
        _ request: RunRequest,
        observer: any RunObserver = SilentObserver(),
        interruption: RunInterruption = RunInterruption()
    ) async throws(RunRequestError) -> RunOutcome {
        try await prepare(scope, request).run(observer: observer, interruption: interruption)
    }
}

/// A scope ready to run: its workspace checked, its lock checked (``lockCheck``), its signing key read.
public struct PreparedRun: Sendable {
    public var scope: TestScope
    /// The options of the run, with the lock check in ``RunOptions/lockCheck``.
    public var options: RunOptions
    /// The signing key's raw bytes (the key type itself is not `Sendable`).
    let signingKey: Data?

    /// How the scope compared with its lock.
    public var lockCheck: LockCheck { options.lockCheck }

    /// Runs the scope, writes its report files and signs `report.json`.
    /// - Throws: ``RunRequestError`` with code `signing` when the report could not be signed; a
    ///   failing or errored run is a report, not a thrown error.
    public func run(
        observer: any RunObserver = SilentObserver(),
        interruption: RunInterruption = RunInterruption()
    ) async throws(RunRequestError) -> RunOutcome {
        let report = await Harness(options: options).execute(scope, observer: observer, interruption: interruption)
        let reportFile = options.outputDirectory.appendingPathComponent("report.json")
        var signedBy: String?
        if let signingKey {
            let key: Curve25519.Signing.PrivateKey
            do { key = try Curve25519.Signing.PrivateKey(rawRepresentation: signingKey) } catch {
                throw RunRequestError(.signing, "the signing key cannot be used: \(error)")
            }
            do { signedBy = try ReportSignature.signFile(at: reportFile, with: key) } catch {
                throw RunRequestError(.signing, error.message)
            }
        }
        return RunOutcome(report: report, signedBy: signedBy, reportFile: reportFile)
    }
}
