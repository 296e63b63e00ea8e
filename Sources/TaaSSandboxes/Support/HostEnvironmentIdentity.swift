import Crypto
import Foundation
import TaaSCore

/// The environment identity of the sandboxes that run the host's programs (jail, venv, local):
/// the host's Python and the programs the scope's runners call, as the verdict cache's key sees them.
public enum HostEnvironmentIdentity {
    /// The host's Python (its interpreter file, and the names with versions of the packages installed
    /// for it, read without starting Python) and, for each of `programs`, the file found on its
    /// search path (`tool_NAME`: path, size, modification time, or `not found`). A toolchain upgraded
    /// on the host is another environment.
    public static func parts(programs: [ProgramLookup]) -> [String: String] {
        let host = HostPython.identity()
        var parts = [
            "python": host.interpreter,
            "python_packages": SHA256.hash(data: Data(host.packages.joined(separator: "\n").utf8)).prefixedHex,
        ]
        for program in programs {
            let found = program.searchPath.split(separator: ":").map { "\($0)/\(program.name)" }
                .first { FileManager.default.isExecutableFile(atPath: $0) }
            parts["tool_\(program.name)"] =
                found.map { HostFileIdentity.describe($0) ?? "\($0) unreadable" } ?? "not found"
        }
        return parts
    }
}

/// A sandbox whose steps run the host's own programs (the jail, the venv sandbox, the local one):
/// its environment identity is ``HostEnvironmentIdentity``. (The venv sandbox's virtualenv is made
/// from the host's Python and the scope's dependencies, which the scope's fingerprint covers.)
public protocol HostProgramSandbox: Sandbox {}

extension HostProgramSandbox {
    public func environmentIdentity(
        _ configuration: SandboxConfiguration,
        programs: [ProgramLookup]
    ) async throws(SandboxError) -> [String: String] {
        HostEnvironmentIdentity.parts(programs: programs)
    }
}
