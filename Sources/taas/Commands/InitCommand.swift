import ArgumentParser
import Foundation
import TaaSCore
import TaaSEngine
import TaaSScaffold

/// `taas init [DIR]`: looks at a folder and writes a commented starter scope that validates.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter scope (DIR/scope.yaml) for the tests found in a folder.",
        discussion: """
            Looks for pytest or unittest tests (pytest.ini, conftest.py, pyproject.toml's [tool.pytest], \
            test_*.py), a Go module (go.mod), a Rust crate (Cargo.toml), a Node package (package.json), a \
            Swift package (Package.swift), and a web service entry point (app.py, main.py, server.py, a \
            package's __main__.py or server.py, server.js, index.js, main.go with a web server in it). Writes \
            one scenario per suite found, the service with a readiness check on its port, and a comment on every \
            part; the scope is validated before it is written. An existing scope is never overwritten \
            without --force.

            Exit codes: 0 written, 2 not written (a scope exists, or the folder cannot be written).
            """
    )

    @Argument(help: "The project folder (default: the current folder).", completion: .directory)
    var directory: String = "."

    @Flag(help: "Overwrite an existing DIR/scope.yaml.")
    var force = false

    func run() throws {
        let folder = URL(fileURLWithPath: directory).standardizedFileURL
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandOutcome.error("taas: \(directory) is not a folder")
        }
        let file = folder.appendingPathComponent("scope.yaml")
        let existing = ScopeFile.defaultNames.map { folder.appendingPathComponent($0) }.filter {
            FileManager.default.fileExists(atPath: $0.path)
        }
        if !existing.isEmpty, !(force && existing == [file]) {
            throw CommandOutcome.error(
                "taas: \(existing.map(\.path).joined(separator: ", ")) exists already; not overwritten"
                    + (existing == [file] ? " (--force overwrites it)" : "")
            )
        }
        let survey = ProjectSurvey.survey(folder)
        let text = StarterScope.yaml(
            for: survey,
            scopeID: StarterScope.scopeID(fromFolderName: folder.lastPathComponent)
        )
        do {
            try Data(text.utf8).write(to: file)
        } catch {
            throw CommandOutcome.error("taas: cannot write \(file.path): \((error as NSError).localizedDescription)")
        }
        // What was written must validate; a starter that does not would be a bug of taas.
        let loaded = try Judge.loadScope(at: file)
        let shown = directory == "." ? "." : directory
        print(
            "taas: wrote \(file.path) (scope \"\(loaded.scope.id)\", \(loaded.scope.scenarios.count) scenario\(loaded.scope.scenarios.count == 1 ? "" : "s"))"
        )
        for suite in survey.suites { print("  found \(suite.runner) tests: \(suite.evidence)") }
        if let service = survey.service {
            print(
                "  found a web service: \(service.evidence), started with `\(service.command)` on port \(service.port)"
                    + (service.portFound ? "" : " (a guess: check it)")
            )
        }
        if survey.suites.isEmpty && survey.service == nil {
            print("  found no tests: the scope has a placeholder scenario SMOKE to replace")
        }
        print("next:")
        print("  taas validate \(shown) --workspace \(shown)   # check it, and that the files it names exist")
        print("  taas run \(shown)                        # run it; the report lands in taas-out/")
    }
}
