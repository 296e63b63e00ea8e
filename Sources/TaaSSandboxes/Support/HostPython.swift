import Foundation

/// The host's Python, which the jail and local sandboxes run as `python3`.
public enum HostPython {
    /// The interpreter the jail finds first on its default `PATH`.
    public static let interpreter = "/usr/bin/python3"

    /// The interpreter file's identity and the packages installed for it (their `.dist-info` and
    /// `.egg-info` folders, which name their versions), sorted. Read from the file system without
    /// starting Python, so that it costs a few directory listings.
    public static func identity() -> (interpreter: String, packages: [String]) {
        let manager = FileManager.default
        var folders = ["/usr/lib/python3/dist-packages"]
        for base in ["/usr/lib", "/usr/local/lib"] {
            for name in ((try? manager.contentsOfDirectory(atPath: base)) ?? []) where name.hasPrefix("python3") {
                folders += ["\(base)/\(name)/dist-packages", "\(base)/\(name)/site-packages"]
            }
        }
        var packages: [String] = []
        for folder in folders.sorted() {
            for name in (try? manager.contentsOfDirectory(atPath: folder)) ?? []
            where name.hasSuffix(".dist-info") || name.hasSuffix(".egg-info") {
                packages.append("\(folder)/\(name)")
            }
        }
        return (HostFileIdentity.describe(interpreter) ?? "\(interpreter) unreadable", packages.sorted())
    }
}
