import Crypto
import Foundation
import TaaSCore
import TaaSEngine
import TaaSIntegrity
import TaaSTesting
import Testing

/// The library's front door, as `taas run` uses it: the lock checked before anything runs, the
/// report signed after, on the fake sandbox.
@Suite struct JudgeTests {
    static let scopeJSON =
        #"{"scope_id": "judged", "integrity": {"locked": ["tests/*"]}, "scenarios": [{"id": "S", "command": "check"}]}"#

    /// A workspace with a scope file and a law file; returns the scope file.
    static func workspace(_ folders: FakeSandboxHarnessTests.Folders) throws -> URL {
        let scopeFile = folders.workspace.appendingPathComponent("scope.json")
        try Data(scopeJSON.utf8).write(to: scopeFile)
        try FileManager.default.createDirectory(
            at: folders.workspace.appendingPathComponent("tests"),
            withIntermediateDirectories: true
        )
        try Data("law\n".utf8).write(to: folders.workspace.appendingPathComponent("tests/law.txt"))
        return scopeFile
    }

    static func request(
        _ scopeFile: URL,
        _ folders: FakeSandboxHarnessTests.Folders,
        sandbox: FakeSandbox
    ) -> RunRequest {
        var request = RunRequest(scopeFile: scopeFile, outputDirectory: folders.output, lock: .required)
        request.options.sandboxes = .standard.adding(sandbox)
        request.options.sandboxKind = sandbox.kind
        request.options.cacheDirectory = folders.root.appendingPathComponent("cache")
        return request
    }

    @Test func aRequiredLockThatIsMissingStopsTheRunBeforeAnythingRuns() async throws {
        let folders = try FakeSandboxHarnessTests.Folders()
        defer { folders.remove() }
        let scopeFile = try Self.workspace(folders)
        let (scope, _) = try Judge.loadScope(at: scopeFile)
        let sandbox = FakeSandbox()
        let prepared = try Judge.prepare(scope, Self.request(scopeFile, folders, sandbox: sandbox))
        #expect(prepared.lockCheck.status == .mismatch)
        let outcome = try await prepared.run()
        #expect(outcome.report.verdict == .error)
        #expect(outcome.report.errors.first?.phase == "integrity")
        #expect(sandbox.journal.entries.isEmpty, "nothing ran")
    }

    @Test func aLockedScopeRunsAndItsReportIsSigned() async throws {
        let folders = try FakeSandboxHarnessTests.Folders()
        defer { folders.remove() }
        let scopeFile = try Self.workspace(folders)
        let (scope, _) = try Judge.loadScope(at: scopeFile)
        try ScopeLock.make(for: scope, workspace: folders.workspace).jsonData().write(
            to: ScopeLock.url(forScope: scopeFile)
        )
        let key = SigningKeys.generate()
        let keyFile = folders.root.appendingPathComponent("signing.key")
        try Data(SigningKeys.pem(key).utf8).write(to: keyFile)

        var request = Self.request(scopeFile, folders, sandbox: FakeSandbox())
        request.signingKey = keyFile
        let outcome = try await Judge.run(scope, request)
        #expect(outcome.report.verdict == .pass)
        #expect(outcome.report.lockStatus == .verified)
        #expect(outcome.signedBy == SigningKeys.keyID(key.publicKey))
        let verification = try ReportSignature.verify(Data(contentsOf: outcome.reportFile), with: key.publicKey)
        #expect(verification.valid)
    }

    @Test func aWorkspaceThatIsNotAFolderOrAnUnreadableKeyIsARequestError() throws {
        let folders = try FakeSandboxHarnessTests.Folders()
        defer { folders.remove() }
        let scopeFile = try Self.workspace(folders)
        let (scope, _) = try Judge.loadScope(at: scopeFile)
        var request = Self.request(scopeFile, folders, sandbox: FakeSandbox())
        request.signingKey = folders.root.appendingPathComponent("no-such.key")
        let keyError = #expect(throws: RunRequestError.self) { try Judge.prepare(scope, request) }
        #expect(keyError?.code == .signingKey)
        request.options.workspace = scopeFile
        let workspaceError = #expect(throws: RunRequestError.self) { try Judge.prepare(scope, request) }
        #expect(workspaceError?.code == .workspace)
    }
}
