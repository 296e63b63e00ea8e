import Foundation
import TaaSCore
import TaaSTesting
import Testing

/// The `taas` executable built in this checkout.
enum TaasBinary {
    static let url = TestTools.repositoryRoot.appending(path: ".build/debug/taas")
    static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: url.path) }
}

/// `taas run --diagnose`, `taas diagnose` and `taas heal` as a user calls them.
@Suite struct HealerCommandLineTests {
    /// Runs taas with `arguments`; returns its exit code and its standard output and error.
    private func taas(_ arguments: [String]) throws -> (code: Int32, output: String) {
        let process = Process()
        process.executableURL = TaasBinary.url
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TAAS_CACHE_DIR"] = HealLab.cacheDirectory.path
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: TaasBinary.isBuilt))
    func runDiagnoseThenHealFromTheCommandLine() throws {
        let lab = try LabRun("cb-operator")
        defer { lab.remove() }
        let run = try taas(["run", lab.scopeFile.path, "--out", lab.output.path, "--offline", "--diagnose"])
        #expect(run.code == 1)
        #expect(run.output.contains("diagnosis: code_broken"), "\(run.output)")
        #expect(FileManager.default.fileExists(atPath: lab.output.appending(path: "diagnosis.json").path))
        let heal = try taas([
            "heal", lab.reportFile.path, "--workspace", lab.workspace.path, "--fixer", "rm -rf tests", "--out",
            lab.root.appending(path: "heal").path,
        ])
        #expect(heal.code == 1)
        #expect(heal.output.contains("heal: rejected (law_changed)"), "\(heal.output)")
    }

    @Test(.enabled(if: TaasBinary.isBuilt))
    func aMissingReportIsAnErrorThatNamesIt() throws {
        let result = try taas(["diagnose", "/nonexistent/report.json"])
        #expect(result.code == 2)
        #expect(result.output.contains("cannot read the report /nonexistent/report.json"))
    }
}
