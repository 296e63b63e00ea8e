import Foundation

/// The process that made a container, as the container's labels record it: its pid and its start
/// time (`/proc/PID/stat`'s 22nd field, clock ticks since boot), so that `taas gc` can tell a run
/// still going — in `taas` or in any program embedding the engine — from one whose process is gone,
/// even when its pid was reused.
public enum ContainerOwner {
    /// The owner's pid.
    public static let pidLabel = DockerSandbox.ownerLabel
    /// The owner's start time.
    public static let startLabel = "maestro-taas.owner-start"

    /// The labels naming this process.
    public static var labels: [String: String] {
        let pid = getpid()
        var labels = [pidLabel: String(pid)]
        labels[startLabel] = startTime(of: pid)
        return labels
    }

    /// Whether the process named by `labels` still runs. A container of an older taas, without the
    /// start label, counts as owned while its pid is a live `taas` process.
    public static func isAlive(_ labels: [String: String]) -> Bool {
        guard let pid = labels[pidLabel].flatMap({ Int32($0) }), kill(pid, 0) == 0 || errno == EPERM else {
            return false
        }
        if let start = labels[startLabel] { return startTime(of: pid) == start }
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        return String(decoding: data.prefix { $0 != 0 }, as: UTF8.self).hasSuffix("taas")
    }

    /// The start time of process `pid`, or `nil` when it is gone.
    static func startTime(of pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        // The command name (field 2) may hold spaces and parentheses: count from the last ")".
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (the state), so field 22 is fields[19].
        return fields.count > 19 ? String(fields[19]) : nil
    }
}
