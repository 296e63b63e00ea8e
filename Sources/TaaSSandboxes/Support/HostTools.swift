import Foundation
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Small helpers for running host programs during set-up (not for running steps).
public enum HostTools {
    /// The first of these programs found on `PATH`, as a full path.
    public static func find(_ names: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in names {
            if name.hasPrefix("/") {
                if FileManager.default.isExecutableFile(atPath: name) { return name } else { continue }
            }
            for directory in path.split(separator: ":") {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// The exit code and the combined output (capped) of a host program.
    public struct Result: Sendable {
        public var exitCode: Int32
        public var output: String
    }

    /// Runs a host program to completion with the host's environment plus `environment`.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        workingDirectory: String? = nil
    ) async -> Result {
        do {
            let result = try await Subprocess.run(
                .path(FilePath(executable)),
                arguments: Arguments(arguments),
                environment: subprocessEnvironment(environment),
                workingDirectory: workingDirectory.map { FilePath($0) },
                output: .string(limit: 1 << 20),
                error: .combinedWithOutput
            )
            return Result(exitCode: exitCode(result.terminationStatus), output: result.standardOutput)
        } catch {
            return Result(exitCode: 127, output: "cannot run \(executable): \(error)")
        }
    }

    /// Runs a host program to completion, handing each line of its combined output to `onLine` as
    /// it comes (for progress); the result keeps the last MiB of the output.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        workingDirectory: String? = nil,
        onLine: @escaping @Sendable (String) -> Void
    ) async -> Result {
        do {
            let result = try await Subprocess.run(
                .path(FilePath(executable)),
                arguments: Arguments(arguments),
                environment: subprocessEnvironment(environment),
                workingDirectory: workingDirectory.map { FilePath($0) },
                input: .none,
                output: .sequence,
                error: .combinedWithOutput
            ) { execution in
                var kept: [String] = []
                var keptBytes = 0
                for try await line in execution.standardOutput.strings() {
                    onLine(line)
                    kept.append(line)
                    keptBytes += line.utf8.count + 1
                    while keptBytes > 1 << 20, !kept.isEmpty { keptBytes -= kept.removeFirst().utf8.count + 1 }
                }
                return kept.joined(separator: "\n")
            }
            return Result(exitCode: exitCode(result.terminationStatus), output: result.closureResult)
        } catch {
            return Result(exitCode: 127, output: "cannot run \(executable): \(error)")
        }
    }

    /// The host's environment plus `additions`.
    private static func subprocessEnvironment(_ additions: [String: String]) -> Subprocess.Environment {
        guard !additions.isEmpty else { return .inherit }
        return .inherit.updating(
            Dictionary(
                uniqueKeysWithValues: additions.map {
                    (Subprocess.Environment.Key(rawValue: $0.key)!, Optional($0.value))
                }
            )
        )
    }

    /// The exit code, or 128 + the signal that ended the program.
    private static func exitCode(_ status: TerminationStatus) -> Int32 {
        switch status {
        case .exited(let value): value
        case .signaled(let signal): 128 + signal
        }
    }

    /// Lets other users (the sandbox's unprivileged user) search a folder: mode 0755.
    public static func makeTraversable(_ url: URL) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }
}
