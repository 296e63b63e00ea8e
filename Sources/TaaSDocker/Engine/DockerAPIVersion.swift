import Foundation

/// A Docker Engine API version such as `1.41`, compared numerically (`1.9` < `1.41`).
struct DockerAPIVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    var major: Int
    var minor: Int

    /// The newest API version this client speaks; newer engines are asked for this one.
    static let newestSupported = DockerAPIVersion(major: 1, minor: 43)
    /// The oldest API version this client speaks (Docker 1.13, for `Init`, `NanoCpus` and `AutoRemove`).
    static let oldestSupported = DockerAPIVersion(major: 1, minor: 25)

    init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `MAJOR.MINOR`; returns nil for anything else.
    init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0 else {
            return nil
        }
        self.init(major: major, minor: minor)
    }

    static func < (lhs: DockerAPIVersion, rhs: DockerAPIVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    var description: String { "\(major).\(minor)" }
}
