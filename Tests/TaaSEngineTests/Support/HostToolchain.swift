import Foundation

/// Test tools found on the host, to decide which runner tests can run here.
enum HostToolchain {
    /// The full path of `program` on the test process's `PATH`, or `nil` when it is not there.
    static func find(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The folder holding `program`, when the jail can see it (it mounts /usr, /etc and /opt only).
    static func folderVisibleInJail(_ program: String) -> String? {
        guard let found = find(program) else { return nil }
        let resolved = URL(fileURLWithPath: found).resolvingSymlinksInPath().path
        guard ["/usr/", "/opt/", "/bin/"].contains(where: { resolved.hasPrefix($0) }) else { return nil }
        return URL(fileURLWithPath: found).deletingLastPathComponent().path
    }
}
