import ArgumentParser
import Foundation
import TaaSCore
import TaaSIntegrity

/// `taas lock SCOPE`: records the scope's fingerprint and the digest of every file of its law.
struct LockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Lock a scope's law: write SCOPE.lock.json with the digest of every test file that decides its verdict.",
        discussion: """
            The law is: the scope itself; each scenario's target (every file under it, for a folder); every \
            conftest.py, pytest.ini and .pytest.ini; the pytest sections of pyproject.toml, setup.cfg and tox.ini; \
            plugin modules named by pytest_plugins or -p; pytest.py, py.py, _pytest/, pluggy/, sitecustomize.py, \
            usercustomize.py and *.pth at the workspace's root (they would run before pytest judges anything); \
            and files matched by the scope's integrity.locked globs.

            `taas run` verifies the lock before anything runs: a changed, added or missing file is verdict \
            error (exit 2) and nothing runs. Commit the lock with the scope; re-run `taas lock` when the law \
            changes on purpose.
            """
    )

    @Argument(help: "The TestScope JSON file.")
    var scope: String

    @Option(help: "The workspace (default: the scope file's folder).")
    var workspace: String?

    @Option(name: .shortAndLong, help: "Where to write the lock (default: SCOPE.lock.json beside the scope, e.g. scope.lock.json).")
    var output: String?

    @Flag(help: "Print the locked files.")
    var verbose = false

    func run() async throws {
        let (loaded, warnings) = try ScopeLoading.load(scope)
        ScopeLoading.printWarnings(warnings)
        let scopeURL = URL(fileURLWithPath: scope).standardizedFileURL
        let workspaceURL = workspace.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? scopeURL.deletingLastPathComponent()
        let lockURL = output.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? ScopeLock.url(forScope: scopeURL)
        do {
            let lock = try ScopeLock.make(for: loaded, workspace: workspaceURL)
            for target in LawFiles(scope: loaded, workspace: workspaceURL).targetsMatchingNothing(in: lock.files) {
                ScopeLoading.printError("taas: warning: the target \"\(target)\" matches no file in \(workspaceURL.path)")
            }
            try lock.jsonData().write(to: lockURL, options: .atomic)
            if verbose { for file in lock.files { print("\(file.digest)  \(file.path)") } }
            print("locked \(lock.files.count) file(s) of scope \(loaded.id) in \(lockURL.path) (\(lock.fingerprint))")
        } catch let error as IntegrityError {
            throw CommandOutcome.error("taas: \(error.message)")
        } catch {
            throw CommandOutcome.error("taas: cannot write the lock \(lockURL.path): \(error.localizedDescription)")
        }
    }
}
