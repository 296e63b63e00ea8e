import Crypto
import Foundation
import TaaSCore

/// The version of a host interpreter, such as `3.11.2`, remembered in the cache folder by the
/// interpreter file's identity (resolved path, inode, size, modification time), so that a run does
/// not start Python only to ask its version (20–40 ms). An upgraded interpreter is another file,
/// so it is asked again.
enum InterpreterVersion {
    static func of(_ python: String, cacheDirectory: URL) async throws(SandboxError) -> String {
        let memo = identity(of: python).map { cacheDirectory.appendingPathComponent(".interpreter-\($0)") }
        if let memo, let data = FileManager.default.contents(atPath: memo.path) {
            let remembered = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if isVersion(remembered) { return remembered }
        }
        let probe = await HostTools.run(python, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"])
        guard probe.exitCode == 0 else {
            throw SandboxError(.missingTool, "\(python) does not run: \(probe.output)")
        }
        let version = probe.output.trimmingCharacters(in: .whitespacesAndNewlines)
        if let memo {
            try? FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
            try? Data((version + "\n").utf8).write(to: memo, options: .atomic)
        }
        return version
    }

    /// Whether `text` reads like `3.11.2`. (Not a regular expression: Foundation's loads ICU on
    /// first use, which costs a few milliseconds of every run.)
    static func isVersion(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    /// A short digest of the interpreter file's identity, or `nil` when it cannot be read.
    static func identity(of python: String) -> String? {
        HostFileIdentity.describe(python).map { text in
            SHA256.hash(data: Data(text.utf8)).prefix(8).hexText
        }
    }
}
