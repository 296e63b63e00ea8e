import Foundation

/// The tests' own Python tools: the virtualenv that `scripts/test-tools` makes at `.build-tools/venv` with the
/// packages of `scripts/test-requirements.txt` (an OTLP receiver, selenium, an MCP client, …).
public enum TestTools {
    /// The repository root, found from this source file's path (the tests run from a checkout).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TaaSTesting
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()

    /// The tools' Python interpreter, or nil when `scripts/test-tools` has not been run.
    /// `TAAS_TEST_PYTHON` names another interpreter.
    public static var python: URL? {
        if let path = ProcessInfo.processInfo.environment["TAAS_TEST_PYTHON"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let venv = repositoryRoot.appending(path: ".build-tools/venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv : nil
    }

    /// mitmproxy's `mitmdump` from its own virtualenv (`.build-tools/mitmproxy`, made by
    /// `scripts/test-tools`), or nil when it is not there. `TAAS_TEST_MITMDUMP` names another.
    public static var mitmdump: URL? {
        if let path = ProcessInfo.processInfo.environment["TAAS_TEST_MITMDUMP"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let program = repositoryRoot.appending(path: ".build-tools/mitmproxy/bin/mitmdump")
        return FileManager.default.isExecutableFile(atPath: program.path) ? program : nil
    }
}
