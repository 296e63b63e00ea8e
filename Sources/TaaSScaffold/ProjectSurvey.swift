import Foundation

/// What `taas init` found in a folder: the test suites it can run and a web service to start.
public struct ProjectSurvey: Sendable, Equatable {
    /// A test suite and the runner that runs it.
    public struct Suite: Sendable, Equatable {
        /// The runner's name in the contract (`pytest`, `unittest`, `go`, `cargo`, `node`, `swift`).
        public var runner: String
        /// What the runner runs, relative to the folder.
        public var target: String
        /// Why it was chosen, for the scope's comments and the console ("pytest.ini, tests/test_api.py").
        public var evidence: String
    }

    /// A web service entry point.
    public struct Service: Sendable, Equatable {
        /// The command that starts it, from the folder.
        public var command: String
        /// The port it listens on (from its source, else a guess: `guessedPort`).
        public var port: Int
        /// Whether the port was read from the source rather than guessed.
        public var portFound: Bool
        public var evidence: String
    }

    public var suites: [Suite]
    public var service: Service?

    /// Whether the Python suites need a virtualenv with pytest.
    public var needsPytest: Bool { suites.contains { $0.runner == "pytest" } }

    /// The port assumed for a service whose source names none.
    public static let guessedPort = 8000

    public init(suites: [Suite] = [], service: Service? = nil) {
        self.suites = suites
        self.service = service
    }
}

extension ProjectSurvey {
    /// Looks at `folder` (its top level, and `tests/`, `test/`, one level down) and says what it found.
    public static func survey(_ folder: URL) -> ProjectSurvey {
        let files = ProjectFiles(root: folder)
        var survey = ProjectSurvey()
        if let python = pythonSuite(files) { survey.suites.append(python) }
        if files.exists("go.mod") {
            survey.suites.append(Suite(runner: "go", target: "./...", evidence: "go.mod"))
        }
        if files.exists("Cargo.toml") {
            survey.suites.append(Suite(runner: "cargo", target: ".", evidence: "Cargo.toml"))
        }
        if files.exists("package.json") {
            let target = files.isFolder("test") ? "test" : files.isFolder("tests") ? "tests" : "."
            survey.suites.append(Suite(runner: "node", target: target, evidence: "package.json"))
        }
        if files.exists("Package.swift") {
            survey.suites.append(Suite(runner: "swift", target: ".", evidence: "Package.swift"))
        }
        survey.service = service(files)
        return survey
    }

    private static func pythonSuite(_ files: ProjectFiles) -> Suite? {
        let testFiles = (files.list("") + files.list("tests") + files.list("test")).filter {
            let name = ($0 as NSString).lastPathComponent
            return name.hasSuffix(".py") && (name.hasPrefix("test_") || name.hasSuffix("_test.py"))
        }
        let target = files.isFolder("tests") ? "tests" : files.isFolder("test") ? "test" : "."
        var pytestEvidence = ["pytest.ini", "conftest.py", "tests/conftest.py"].filter { files.exists($0) }
        if files.text("pyproject.toml")?.contains("[tool.pytest") == true { pytestEvidence.append("pyproject.toml") }
        if files.text("setup.cfg")?.contains("[tool:pytest]") == true { pytestEvidence.append("setup.cfg") }
        if files.text("tox.ini")?.contains("[pytest]") == true { pytestEvidence.append("tox.ini") }
        let sources = testFiles.compactMap { file in files.text(file).map { (file, $0) } }
        if let (file, _) = sources.first(where: { $0.1.contains("import pytest") || $0.1.contains("from pytest") }) {
            pytestEvidence.append(file)
        }
        if !pytestEvidence.isEmpty {
            return Suite(runner: "pytest", target: target, evidence: pytestEvidence.joined(separator: ", "))
        }
        if let (file, _) = sources.first(where: { $0.1.contains("import unittest") || $0.1.contains("from unittest") }
        ) {
            return Suite(runner: "unittest", target: target, evidence: file)
        }
        if let first = testFiles.first {
            // Plain test functions with bare asserts are pytest's style.
            return Suite(runner: "pytest", target: target, evidence: first)
        }
        return nil
    }

    /// Signs of a web server in a source file.
    static let serverMarkers = [
        "Flask(", "FastAPI(", "HTTPServer", "http.server", "uvicorn.run", "web.run_app", "make_server(",
        "ListenAndServe", ".listen(", "createServer(",
    ]

    private static func service(_ files: ProjectFiles) -> Service? {
        let candidates: [(file: String, command: String)] = [
            ("app.py", "python3 app.py"), ("main.py", "python3 main.py"), ("server.py", "python3 server.py"),
            ("wsgi.py", "python3 wsgi.py"), ("server.js", "node server.js"), ("index.js", "node index.js"),
            ("app.js", "node app.js"), ("main.go", "go run ."),
        ]
        var found = candidates.filter { files.exists($0.file) }
        // A package run with `python3 -m NAME` (NAME/__main__.py or NAME/server.py).
        for folder in files.list("") where files.isFolder(folder) && files.exists("\(folder)/__init__.py") {
            if files.exists("\(folder)/__main__.py") { found.append(("\(folder)/__main__.py", "python3 -m \(folder)")) }
            if files.exists("\(folder)/server.py") {
                found.append(("\(folder)/server.py", "python3 -m \(folder).server"))
            }
        }
        for candidate in found {
            guard let text = files.text(candidate.file), let marker = serverMarkers.first(where: text.contains)
            else { continue }
            let port = Self.port(in: text)
            return Service(
                command: candidate.command,
                port: port ?? guessedPort,
                portFound: port != nil,
                evidence: "\(candidate.file) (\(marker.trimmingCharacters(in: CharacterSet(charactersIn: "(."))))"
            )
        }
        return nil
    }

    /// The first number of 2 to 5 digits after the word "port" (`port=5000`, `PORT = 8080`,
    /// `.listen(3000`), within a few characters.
    static func port(in text: String) -> Int? {
        let lower = text.lowercased()
        for keyword in ["port", ".listen(", "listenandserve(\":"] {
            var searchStart = lower.startIndex
            while let range = lower.range(of: keyword, range: searchStart..<lower.endIndex) {
                searchStart = range.upperBound
                let window = lower[range.upperBound...].prefix(24)
                var digits = ""
                for character in window {
                    if character.isNumber {
                        digits.append(character)
                    } else if !digits.isEmpty {
                        break
                    } else if character.isLetter {
                        break
                    }
                }
                if digits.count >= 2, digits.count <= 5, let port = Int(digits), (1...65535).contains(port) {
                    return port
                }
            }
        }
        return nil
    }
}

/// Read-only access to the few files of a folder that `taas init` looks at.
struct ProjectFiles {
    let root: URL

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }

    func isFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isFolder)
            && isFolder.boolValue
    }

    /// The names in a folder, as paths relative to the root, sorted; hidden ones left out.
    func list(_ folder: String) -> [String] {
        let url = folder.isEmpty ? root : root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.isEmpty ? $0 : "\(folder)/\($0)" }
    }

    /// A small text file's contents (at most 256 KiB).
    func text(_ path: String) -> String? {
        let url = root.appendingPathComponent(path)
        guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size]) as? NSNumber,
            size.intValue <= 256 * 1024, let data = FileManager.default.contents(atPath: url.path)
        else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
