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
            var env: Subprocess.Environment = .inherit
            if !environment.isEmpty {
                env = .inherit.updating(
                    Dictionary(
                        uniqueKeysWithValues: environment.map {
                            (Subprocess.Environment.Key(rawValue: $0.key)!, Optional($0.value))
                        }
                    )
                )
            }
            let result = try await Subprocess.run(
                .path(FilePath(executable)),
                arguments: Arguments(arguments),
                environment: env,
                workingDirectory: workingDirectory.map { FilePath($0) },
                output: .string(limit: 1 << 20),
                error: .combinedWithOutput
            )
            let code: Int32
            switch result.terminationStatus {
            case .exited(let value): code = value
            case .signaled(let signal): code = 128 + signal
            }
            return Result(exitCode: code, output: result.standardOutput)
        } catch {
            return Result(exitCode: 127, output: "cannot run \(executable): \(error)")
        }
    }

    /// Lets other users (the sandbox's unprivileged user) search a folder: mode 0755.
    public static func makeTraversable(_ url: URL) throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }
}
