import ArgumentParser
import Foundation
import TaaSCore
import TaaSEngine
import TaaSIntegrity

/// `taas lock SCOPE`: records the scope's fingerprint and the digest of every file of its law.
struct LockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract:
            "Lock a scope's law: write SCOPE.lock.json with the digest of every test file that decides its verdict.",
        discussion: """
            The law is: the scope itself; each scenario's target (every file under it, for a folder); every \
            conftest.py, pytest.ini and .pytest.ini; the pytest sections of pyproject.toml, setup.cfg and tox.ini; \
            plugin modules named by pytest_plugins or -p; pytest.py, py.py, _pytest/, pluggy/, sitecustomize.py, \
            usercustomize.py and *.pth at the workspace's root (they would run before pytest judges anything); \
            and files matched by the scope's integrity.locked globs.

            `taas run` verifies the lock before anything runs: a changed, added or missing file is verdict \
            error (exit 2) and nothing runs. Commit the lock with the scope; re-run `taas lock` when the law \
            changes on purpose.

            The lock also holds the test ledger: each pytest scenario's cases, listed with `pytest --collect-only` \
            in the scope's sandbox (a venv or Docker sandbox installs the dependencies first). A run in which a \
            ledger case gets no result, or is skipped without a skip or xfail marker, makes that scenario error \
            ("law case not executed"). --no-ledger writes a lock without one.
            """
    )

    @Argument(help: "The TestScope JSON file.")
    var scope: String

    @Option(help: "The workspace (default: the scope file's folder).")
    var workspace: String?

    @Option(
        name: .shortAndLong,
        help: "Where to write the lock (default: SCOPE.lock.json beside the scope, e.g. scope.lock.json)."
    )
    var output: String?

    @Flag(help: "Print the locked files.")
    var verbose = false

    @Flag(help: "Do not record the test ledger (no sandbox is started; the run then checks files only).")
    var noLedger = false

    @Option(
        help: ArgumentHelp(
            "The sandbox that lists the cases: \(RunCommand.sandboxes.kinds.joined(separator: ", ")) (default: the scope's environment.type).",
            valueName: "kind"
        ),
        completion: .list(RunCommand.sandboxes.kinds)
    )
    var sandbox: String?

    @Flag(help: "Allow --sandbox local (plain host processes).")
    var unsafeLocal = false

    func validate() throws {
        if let sandbox {
            do { _ = try RunCommand.sandboxes.resolve(kind: sandbox, allowUnsafe: unsafeLocal) } catch {
                throw ValidationError("--sandbox \(sandbox): \(error.message)")
            }
        }
    }

    func run() async throws {
        let (loaded, warnings) = try ScopeLoading.load(scope)
        ScopeLoading.printWarnings(warnings)
        let scopeURL = URL(fileURLWithPath: scope).standardizedFileURL
        let workspaceURL =
            workspace.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? scopeURL.deletingLastPathComponent()
        let lockURL = output.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? ScopeLock.url(forScope: scopeURL)
        do {
            var lock = try ScopeLock.make(for: loaded, workspace: workspaceURL)
            if !noLedger { lock.ledger = try await ledger(of: loaded, workspace: workspaceURL) }
            for target in LawFiles(scope: loaded, workspace: workspaceURL).targetsMatchingNothing(in: lock.files) {
                ScopeLoading.printError(
                    "taas: warning: the target \"\(target)\" matches no file in \(workspaceURL.path)"
                )
            }
            try lock.jsonData().write(to: lockURL, options: .atomic)
            if verbose { for file in lock.files { print("\(file.digest)  \(file.path)") } }
            let entries = lock.files.filter { !$0.path.hasPrefix("#") }.count
            print("locked \(entries) file(s) of scope \(loaded.id) in \(lockURL.path) (\(lock.fingerprint))")
            if let ledger = lock.ledger {
                let listed = ledger.scenarios.values.compactMap(\.cases)
                print("ledger: \(listed.map(\.count).reduce(0, +)) case(s) in \(listed.count) scenario(s)")
            }
        } catch let error as IntegrityError {
            throw CommandOutcome.error("taas: \(error.message)")
        } catch {
            throw CommandOutcome.error("taas: cannot write the lock \(lockURL.path): \(error.localizedDescription)")
        }
    }

    /// Lists each scenario's cases in the scope's sandbox; a scenario whose runner cannot list is
    /// recorded as such, with a warning.
    private func ledger(of scope: TestScope, workspace: URL) async throws -> TestLedger {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("taas-lock-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        var options = RunOptions(workspace: workspace, outputDirectory: output, allowUnsafeLocal: unsafeLocal)
        options.sandboxes = RunCommand.sandboxes
        options.sandboxKind = sandbox
        let ledger: TestLedger
        do {
            ledger = try await LedgerCollector(options: options).collect(scope)
        } catch {
            throw IntegrityError(
                "cannot list the tests for the ledger: \(error.message) (or lock without it: --no-ledger)"
            )
        }
        for (id, scenario) in ledger.scenarios.sorted(by: { $0.key < $1.key }) {
            if let reason = scenario.unlisted {
                ScopeLoading.printError("taas: warning: scenario \(id) has no ledger: \(reason)")
            }
        }
        return ledger
    }
}
