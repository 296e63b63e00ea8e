import Foundation

/// Reads pip's output line by line (`pip install` or `pip download`, without `--quiet`) and says how
/// far it is: the packages whose wheel is in hand out of those found so far, then the install.
///
/// pip learns the total only as it resolves (each dependency adds a `Collecting` line), so the
/// count is "done of found so far": `3/7 packages (requests)`, then `installing 12 packages`.
public struct PipProgress: Sendable, Equatable {
    /// The packages pip has started to collect.
    public private(set) var found = 0
    /// Those whose wheel is downloaded, cached or already installed.
    public private(set) var done = 0
    /// The last package named.
    public private(set) var current: String?
    /// How many packages pip installs (known from its "Installing collected packages" line).
    public private(set) var installing: Int?

    public init() {}

    /// Takes one line of pip's output; returns the new status when the line changed it.
    public mutating func take(_ line: String) -> String? {
        let text = line.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("Collecting ") {
            found += 1
            current = Self.packageName(text.dropFirst("Collecting ".count))
        } else if text.hasPrefix("Requirement already satisfied: ") {
            found += 1
            done += 1
            current = Self.packageName(text.dropFirst("Requirement already satisfied: ".count))
        } else if text.hasPrefix("Downloading ") || text.hasPrefix("Using cached ")
            || text.hasPrefix("File was already downloaded")
        {
            guard done < found else { return nil }
            done += 1
        } else if text.hasPrefix("Installing collected packages: ") {
            installing = text.dropFirst("Installing collected packages: ".count).split(separator: ",").count
        } else {
            return nil
        }
        return status
    }

    /// `3/7 packages (requests)` or `installing 12 packages`.
    public var status: String {
        if let installing { return "installing \(installing) package\(installing == 1 ? "" : "s")" }
        return "\(done)/\(found) package\(found == 1 ? "" : "s")" + (current.map { " (\($0))" } ?? "")
    }

    /// `requests>=2 (from -r …)` → `requests`.
    static func packageName(_ text: Substring) -> String {
        let name = text.prefix { !"<>=!~;[ (".contains($0) }
        return String(name.isEmpty ? text.prefix(40) : name)
    }
}
