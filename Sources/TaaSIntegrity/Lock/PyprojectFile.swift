import Foundation
import TOMLKit
import TaaSCore

/// The pytest part of a `pyproject.toml`, read with a real TOML parser (TOMLKit, on toml++).
///
/// Every way TOML can spell a table reaches the same value: a `[tool.pytest.ini_options]` header,
/// dotted keys (`[tool]` then `pytest.ini_options = {…}`, or `tool.pytest.ini_options.addopts = …`
/// at the top), inline tables, and arrays of tables. The lock compares this value, not the lines.
enum PyprojectFile {
    /// The `tool.pytest` table of `text` as canonical JSON, or `nil` when there is none.
    /// - Throws: the parser's message (with line and column) when `text` is not valid TOML; pytest
    ///   refuses such a file too.
    static func pytestTable(in text: String) throws(IntegrityError) -> JSONValue? {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw IntegrityError("not valid TOML: \(error.debugDescription)")
        } catch {
            throw IntegrityError("not valid TOML: \(error)")
        }
        guard let tool = table["tool"]?.table, let pytest = tool["pytest"] else { return nil }
        return json(pytest)
    }

    /// Whether `text` has the table that makes pytest choose a `pyproject.toml` as its configuration
    /// file (`[tool.pytest.ini_options]`, however spelled; also `[tool.pytest]` itself, which pytest 9 reads).
    /// A file that is not valid TOML counts: pytest stops on it, and the lock must not look past it.
    static func configuresPytest(_ text: String) -> Bool {
        do { return try pytestTable(in: text) != nil } catch { return true }
    }

    /// A TOML value as JSON: tables become objects (keys sorted later by ``CanonicalJSON``), arrays
    /// stay arrays; numbers, dates and times keep their TOML spelling, tagged with their type so
    /// that `1` and `"1"` differ.
    static func json(_ value: any TOMLValueConvertible) -> JSONValue {
        switch value.type {
        case .table:
            guard let table = value.table else { return .null }
            return .object(
                table.keys.sorted().map { key in
                    JSONMember(key: key, value: table[key].map(json) ?? .null)
                }
            )
        case .array:
            guard let array = value.array else { return .null }
            return .array(array.map { json($0) })
        case .string:
            return .string(value.string ?? "")
        case .bool:
            return .bool(value.bool ?? false)
        case .int:
            return .object([
                JSONMember(key: "int", value: .string(value.int.map(String.init) ?? value.debugDescription))
            ])
        case .double:
            return .object([
                JSONMember(key: "float", value: .string(value.double.map { "\($0)" } ?? value.debugDescription))
            ])
        case .date, .time, .dateTime:
            return .object([JSONMember(key: "\(value.type)", value: .string(value.debugDescription))])
        }
    }
}
