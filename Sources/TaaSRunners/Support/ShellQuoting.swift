import Foundation

/// Quoting for words put into a `/bin/sh` command line.
enum ShellQuoting {
    /// `word` in single quotes, safe to append to a shell command.
    static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
