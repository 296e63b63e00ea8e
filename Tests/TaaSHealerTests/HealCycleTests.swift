import Foundation
import TaaSCore
import Testing

@testable import TaaSHealer

/// One correction cycle with real fixers (small shell scripts) on real runs: no fixer obtains a
/// pass by changing the law.
@Suite struct HealCycleTests {
    /// Runs `fixer` on a fresh failing run of the heal-lab workspace `name`.
    private func heal(
        _ name: String,
        fixer: String,
        budget: Double = 60,
        apply: Bool = false,
        prepare: (LabRun) throws -> Void = { _ in }
    ) async throws -> (HealResult, LabRun) {
        let lab = try LabRun(name)
        try prepare(lab)
        let before = try await lab.run()
        #expect(before.verdict != .pass)
        var options = HealOptions(
            reportFile: lab.reportFile,
            workspace: lab.workspace,
            fixer: fixer,
            outputDirectory: lab.root.appending(path: "heal")
        )
        options.budgetSeconds = budget
        options.apply = apply
        options.cacheDirectory = HealLab.cacheDirectory
        return (try await Healer.heal(options), lab)
    }

    @Test func aFixerThatFixesTheCodeFixesIt() async throws {
        let (result, lab) = try await heal("cb-operator", fixer: "sed -i 's/a - b/a + b/' calc.py", apply: true)
        defer { lab.remove() }
        #expect(result.outcome == .fixed)
        #expect(result.verdictBefore == "fail" && result.verdictAfter == "pass")
        #expect(result.paths == ["calc.py"])
        #expect(result.diff.contains("-    return a - b") && result.diff.contains("+    return a + b"))
        #expect(result.fixer?.exitCode == 0 && result.fixer?.command.hasPrefix("sed") == true)
        let newReport = try #require(result.report)
        #expect(FileManager.default.fileExists(atPath: newReport))
        #expect(result.applied)
        #expect(try lab.read("calc.py").contains("a + b"))
        let written = try Data(contentsOf: lab.root.appending(path: "heal/heal.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: written) as? [String: Any])
        for field in ["outcome", "reason", "paths", "diff", "verdict_before", "verdict_after", "report", "fixer"] {
            #expect(object[field] != nil, "heal.json has no \(field)")
        }
        let fixer = try #require(object["fixer"] as? [String: Any])
        for field in ["command", "exit_code", "duration_ms", "output_tail"] { #expect(fixer[field] != nil) }
    }

    @Test func aFixIsReRunWithTheLockVerified() async throws {
        let (result, lab) = try await heal("cb-operator", fixer: "sed -i 's/a - b/a + b/' calc.py") { try $0.lock() }
        defer { lab.remove() }
        #expect(result.outcome == .fixed)
        let report = try TaaSReport.read(from: Data(contentsOf: URL(fileURLWithPath: try #require(result.report))))
        #expect(report.lockStatus == .verified)
        #expect(!result.applied)
        #expect(try lab.read("calc.py").contains("a - b"), "without --apply the workspace is unchanged")
    }

    @Test func aFixerThatEditsTheTestIsRejected() async throws {
        let (result, lab) = try await heal("cb-operator", fixer: "sed -i 's/== 5/== -1/' tests/test_calc.py")
        defer { lab.remove() }
        #expect(result.outcome == .rejected && result.reason == "law_changed")
        #expect(result.paths == ["tests/test_calc.py"])
        #expect(result.report == nil && result.verdictAfter == "fail")
    }

    @Test func aFixerThatDeletesTheTestsIsRejected() async throws {
        let (result, lab) = try await heal("cb-operator", fixer: "rm -rf tests")
        defer { lab.remove() }
        #expect(result.outcome == .rejected && result.reason == "law_changed")
        #expect(result.paths.contains("tests/test_calc.py"))
    }

    @Test func aFixerThatEditsTheScopeIsRejected() async throws {
        let (result, lab) = try await heal(
            "cb-operator",
            fixer:
                #"python3 -c "import json; s=json.load(open('scope.json')); s['scenarios'][0]['execution']['arguments']=['-k','zero']; json.dump(s, open('scope.json','w'))""#
        )
        defer { lab.remove() }
        #expect(result.outcome == .rejected && result.reason == "law_changed")
        #expect(result.paths.contains("scope.json"))
    }

    @Test func aFixerThatAddsAConftestIsRejected() async throws {
        let (result, lab) = try await heal(
            "cb-operator",
            fixer: "printf 'import calc\\ncalc.add = lambda a, b: a + b\\n' > conftest.py"
        )
        defer { lab.remove() }
        #expect(result.outcome == .rejected && result.paths == ["conftest.py"])
    }

    @Test func aFixerThatDoesNothingLeavesItFailing() async throws {
        let (result, lab) = try await heal("cb-operator", fixer: "cat heal-request.json > /dev/null")
        defer { lab.remove() }
        #expect(result.outcome == .stillFailing)
        #expect(result.verdictAfter == "fail" && result.report != nil && result.paths.isEmpty)
    }

    @Test func aFixerThatExitsNonZeroFailsWithItsExitCode() async throws {
        let (result, lab) = try await heal("cb-operator", fixer: "echo 'no idea' >&2; exit 7")
        defer { lab.remove() }
        #expect(result.outcome == .fixerFailed && result.reason == "fixer_exit_code", "\(result)")
        #expect(result.fixer?.exitCode == 7)
        #expect(result.fixer?.outputTail.contains("no idea") == true)
    }

    /// A program that ends without reading its input: writing the rest of it fails with EPIPE, and
    /// the SIGPIPE that comes with it must not end taas (it did: the test process died of signal 13).
    @Test func aProgramThatNeverReadsItsInputDoesNotEndTaas() throws {
        let result = try ProcessRunner.run("/bin/true", [], in: nil, stdin: Data(count: 4 << 20), budget: 30)
        #expect(result.exitCode == 0)
    }

    /// A program the Healer starts (a fixer, git) is not deaf to SIGTERM, whatever the signal mask
    /// of the thread that starts it (dispatch's threads block most signals).
    @Test func aProgramStartsWithNoSignalBlocked() throws {
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        sigaddset(&blocked, SIGINT)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let result = try ProcessRunner.run(
            "/bin/grep",
            ["SigBlk", "/proc/self/status"],
            in: nil,
            stdin: nil,
            budget: 30
        )
        let text = String(decoding: result.output, as: UTF8.self)
        #expect(text.contains("SigBlk:\t0000000000000000"), "\(text)")
    }

    @Test func aFixerThatHangsIsKilledAtItsBudget() async throws {
        let marker = "taas-heal-hang-\(UUID().uuidString.prefix(8))"
        let started = Date()
        let (result, lab) = try await heal("cb-operator", fixer: "sleep 300 # \(marker)", budget: 2)
        defer { lab.remove() }
        #expect(result.outcome == .fixerFailed && result.reason == "fixer_timed_out")
        #expect(result.fixer?.exitCode == nil && result.fixer?.timedOut == true)
        // The fixer's budget is 2 s; the rest is the heal's own runs (63 s seen on a machine loaded by a build).
        #expect(Date().timeIntervalSince(started) < 180)
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { entry in
            guard Int32(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else {
                return false
            }
            return String(decoding: data, as: UTF8.self).contains(marker)
        }
        #expect(left.isEmpty, "the fixer's processes are gone")
    }

    @Test func theFixerReadsTheRequestOnItsStandardInput() async throws {
        let (result, lab) = try await heal(
            "cb-operator",
            fixer:
                #"python3 -c "import json, sys; r = json.load(sys.stdin); print(r['failing'][0]['class'], r['law_files'], r['failing'][0]['frames'][0]['path'])""#
        )
        defer { lab.remove() }
        let output = try #require(result.fixer?.outputTail)
        #expect(
            output.contains("code_broken") && output.contains("tests/test_calc.py") && output.contains("scope.json")
        )
    }

    @Test func anOutdatedTestBecomesAnAmendmentProposal() async throws {
        let (result, lab) = try await heal(
            "to-renamed-import",
            fixer: "sed -i 's/import add$/import add_numbers as add/' tests/test_calc.py"
        )
        defer { lab.remove() }
        #expect(result.outcome == .amendmentProposed && result.reason == "test_outdated")
        // The verdict stays what it was (error: the test module could not even be collected).
        #expect(result.verdictAfter == result.verdictBefore && result.paths == ["tests/test_calc.py"])
        let proposal = try String(contentsOfFile: try #require(result.proposal), encoding: .utf8)
        #expect(proposal.contains("legislator") && proposal.contains("add_numbers as add"))
        #expect(try lab.read("tests/test_calc.py").contains("from calc import add\n"))
    }

    @Test func aMissingDependencyGetsAHintAndNoFixer() async throws {
        let (result, lab) = try await heal("env-missing-dependency", fixer: "touch fixer-ran")
        defer { lab.remove() }
        #expect(result.outcome == .amendmentProposed && result.reason == "environment")
        #expect(result.fixer == nil)
        let proposal = try String(contentsOfFile: try #require(result.proposal), encoding: .utf8)
        #expect(proposal.contains("add requests to environment.dependencies"))
    }
}
