import Foundation
import TaaSCore

/// The configuration pytest applies to one scenario: the configuration file pytest picks by its own
/// rules, and that file's pytest settings, canonicalised. The lock records its digest per pytest
/// scenario, so a change of *meaning* is caught however it is spelled.
///
/// pytest's rules (`_pytest/config/findpaths.py`): starting at the common ancestor of the command
/// line's paths (here: the scenario's target under its `cwd`) and walking up to the workspace's
/// root, the first folder holding one of these, in this order, decides:
/// 1. `pytest.ini` or `.pytest.ini` — even when empty;
/// 2. `pyproject.toml` with a `tool.pytest` table (`[tool.pytest.ini_options]`, however spelled);
/// 3. `tox.ini` with a `[pytest]` section;
/// 4. `setup.cfg` with a `[tool:pytest]` section.
struct PytestConfiguration: Equatable, Sendable {
    /// The chosen file, relative to the workspace; `nil` when pytest runs with no configuration file.
    var file: String?
    /// The file's pytest settings as canonical JSON (`null` without a file).
    var settings: JSONValue

    /// Configuration files in pytest's order of preference within one folder.
    static let candidates = ["pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"]

    /// The configuration pytest picks for a run started in `start` (a workspace-relative folder;
    /// `""` for the root).
    /// - Parameter read: the text of a workspace-relative file, `nil` when there is no such file.
    static func effective(
        startingAt start: String,
        read: (String) throws(IntegrityError) -> String?
    ) throws(IntegrityError) -> PytestConfiguration {
        var folder = start.split(separator: "/").map(String.init)
        while true {
            let base = folder.joined(separator: "/")
            for name in candidates {
                let path = base.isEmpty ? name : base + "/" + name
                guard let text = try read(path) else { continue }
                if let settings = settings(of: name, text: text) {
                    return PytestConfiguration(file: path, settings: settings)
                }
            }
            if folder.isEmpty { return PytestConfiguration(file: nil, settings: .null) }
            folder.removeLast()
        }
    }

    /// The pytest settings of one configuration file named `name`, or `nil` when pytest would not
    /// pick it. A file pytest could not read counts as chosen, with its whole text as its settings.
    static func settings(of name: String, text: String) -> JSONValue? {
        func invalid(_ reason: String) -> JSONValue {
            .object([JSONMember(key: "invalid", value: .string(reason)), JSONMember(key: "text", value: .string(text))])
        }
        switch name {
        case "pyproject.toml":
            do {
                return try PyprojectFile.pytestTable(in: text)
            } catch {
                return invalid(error.message)
            }
        default:
            let section = name == "setup.cfg" ? "tool:pytest" : "pytest"
            let isPytestFile = name == "pytest.ini" || name == ".pytest.ini"
            do {
                let file = try INIFile(parsing: text)
                guard let entries = file.section(section) else { return isPytestFile ? .object([]) : nil }
                return .object(entries.map { JSONMember(key: $0.key, value: .string($0.value)) })
            } catch {
                return invalid(error.description)
            }
        }
    }

    /// The canonical JSON form the lock digests.
    var canonical: JSONValue {
        .object([
            JSONMember(key: "file", value: file.map { .string($0) } ?? .null),
            JSONMember(key: "settings", value: settings),
        ])
    }
}
