import Foundation
import TaaSCore
import TaaSEngine
import TaaSHealer
import Testing

/// `taas diagnose --git` on a real git checkout, and `--history` made of real earlier runs.
@Suite struct GitAndHistoryTests {
    static let passingAdd = "def add(a, b):\n    \"\"\"The sum of a and b.\"\"\"\n    return a + b\n"

    /// Runs git in `folder`; throws with git's output when it fails.
    static func git(_ arguments: [String], in folder: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments =
            ["-c", "user.name=taas", "-c", "user.email=taas@example.invalid", "-C", folder.path]
            + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw HealerTestError("git \(arguments.joined(separator: " ")): \(text)")
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git"), "git is not installed"))
    func gitNamesTheCodeThatChangedSinceHeadInAWorkspaceBelowTheRepositoryRoot() async throws {
        let lab = try LabRun("cb-operator")
        defer { lab.remove() }
        // The repository is the lab's root; the workspace is a folder inside it, as in a monorepo.
        try lab.write(Self.passingAdd, to: "calc.py")
        try Self.git(["init", "-q", "."], in: lab.root)
        try Self.git(["add", "workspace"], in: lab.root)
        try Self.git(["commit", "-q", "-m", "passing"], in: lab.root)
        try lab.write(Self.passingAdd.replacingOccurrences(of: "a + b", with: "a - b"), to: "calc.py")
        #expect(try await lab.run().verdict == .fail)

        let diagnosis = try await Healer.diagnose(reportFile: lab.reportFile, workspace: lab.workspace, useGit: true)
        let item = try #require(diagnosis.items.first)
        #expect(item.failureClass == .codeBroken, "\(item)")
        #expect(item.evidence.contains { $0.kind == "git_diff" && $0.detail == "code changed: calc.py" }, "\(item)")
        #expect(!item.evidence.contains { $0.kind == "git_diff" && $0.detail.contains("law changed") }, "\(item)")
    }

    @Test func aWorkspaceThatIsNotAGitCheckoutIsRefusedByName() async throws {
        let lab = try LabRun("cb-operator")
        defer { lab.remove() }
        try await lab.run()
        await #expect {
            try await Healer.diagnose(reportFile: lab.reportFile, workspace: lab.workspace, useGit: true)
        } throws: { error in
            (error as? HealerError)?.message.contains("git checkout") == true
        }
    }

    @Test func twoRealRunsOfTheSameWorkspaceWithBothVerdictsAreFlaky() async throws {
        let lab = try LabRun("cb-operator")
        defer { lab.remove() }
        // The test's outcome depends on something outside the workspace (as time, order or the
        // network do for a flaky test): here a variable that each run's scope, kept outside the
        // workspace, sets. The workspace, and so its digest, is the same in both runs.
        try lab.write(
            "import os\n\nfrom calc import add\n\n\ndef test_add():\n    assert os.environ[\"FLIP\"] == \"pass\"\n",
            to: "tests/test_calc.py"
        )
        try FileManager.default.removeItem(at: lab.scopeFile)
        func scope(_ flip: String) throws -> URL {
            let file = lab.root.appending(path: "scope-\(flip).json")
            try Data(
                #"{"scope_id": "cb-operator", "environment": {"type": "jail", "env": {"FLIP": "\#(flip)"}}, "scenarios": [{"id": "UNIT", "execution": {"runner": "pytest", "target": "tests"}}]}"#
                    .utf8
            ).write(to: file)
            return file
        }
        func run(_ scopeFile: URL, into output: URL) async throws -> TaaSReport {
            let (loaded, _) = try Judge.loadScope(at: scopeFile)
            var request = RunRequest(scopeFile: scopeFile, workspace: lab.workspace, outputDirectory: output)
            request.options.offline = true
            request.options.cacheDirectory = HealLab.cacheDirectory
            return try await Judge.run(loaded, request).report
        }
        let passing = try scope("pass")
        let failing = try scope("fail")
        #expect(try await run(passing, into: lab.root.appending(path: "history/run-1")).verdict == .pass)
        #expect(try await run(failing, into: lab.output).verdict == .fail)

        let diagnosis = try await Healer.diagnose(
            reportFile: lab.reportFile,
            workspace: lab.workspace,
            scopeFile: failing,
            history: lab.root.appending(path: "history")
        )
        let item = try #require(diagnosis.items.first)
        #expect(item.failureClass == .flaky, "\(item)")
        #expect(item.evidence.contains { $0.kind == "history" }, "\(item)")
    }
}

struct HealerTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
