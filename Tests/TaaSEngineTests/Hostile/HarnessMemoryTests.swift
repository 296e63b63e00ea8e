import Foundation
import TaaSCore
import Testing

/// The harness's own memory stays bounded while a step floods its output: `taas` is run under
/// `/usr/bin/time`, whose maximum resident set size is the process's peak (VmHWM).
@Suite struct HarnessMemoryTests {
    /// The ceiling on taas's peak resident memory during the flood. An idle run peaks at about
    /// 30-40 MiB; what the flood may add is the output capture's tail and buffers.
    static let ceilingKB = 160 * 1024

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/time"), "/usr/bin/time is not installed"))
    func aFloodOfGigabytesLeavesTheHarnessMemoryBounded() throws {
        // 2 GiB on stdout and 1 GiB on stderr at the same time, one of them in very long lines.
        let fixture = try RunFixture(files: [
            "scope.json": #"""
            {"scope_id": "flood-memory", "scenarios": [{"id": "flood", "timeout_seconds": 300,
              "command": "head -c 1073741824 /dev/zero | tr '\\0' 'e' >&2 & head -c 2147483648 /dev/zero | tr '\\0' '\\n'; wait"}]}
            """#
        ])
        defer { fixture.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = [
            "-f", "taas-peak-rss-kb %M", TestEnvironment.taasBinary.path, "run",
            fixture.workspace.appendingPathComponent("scope.json").path, "--sandbox", "jail", "--out",
            fixture.output.path, "--quiet",
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")
        let peak = stderr.split(separator: "\n").last { $0.hasPrefix("taas-peak-rss-kb ") }
            .flatMap { Int($0.split(separator: " ")[1]) }
        let peakKB = try #require(peak, "no peak in: \(stderr)")
        print("taas peak RSS during a 3 GiB flood: \(peakKB / 1024) MiB")
        #expect(peakKB < Self.ceilingKB, "taas peaked at \(peakKB / 1024) MiB")
        let report = try HostileChecks.writtenReport(fixture)
        #expect(report.scenarios.first?.attempts.last?.output.stdoutTail.isEmpty == false)
    }
}
