import Foundation

extension TaaSReport {
    /// Reads a `report.json`, checking that it is a report of a version this `taas` reads.
    ///
    /// Unlike ``decode(from:)``, every problem is an ``InvalidReportError`` that names its JSON
    /// path, such as `scenarios[2].verdict: expected one of pass, fail, error, skipped, found "maybe"`.
    public static func read(from data: Data) throws(InvalidReportError) -> TaaSReport {
        let document: JSONValue
        do {
            document = try JSONParser.parse(data).value
        } catch {
            throw InvalidReportError(path: .root, location: error.location, message: "not valid JSON: \(error.message)")
        }
        guard case .object = document else {
            throw InvalidReportError(path: .root, message: "expected an object, found \(document.kindDescription)")
        }
        guard let version = document["report_version"] else {
            throw InvalidReportError(
                path: .root,
                message: "there is no \"report_version\"; a TaaS report (report.json written by taas run) has one"
            )
        }
        guard case .string(let versionText) = version, versionText.split(separator: ".").first == "1" else {
            throw InvalidReportError(
                path: JSONPath.root.appending("report_version"),
                message: "this taas reads report version 1.x, found \(describe(version))"
            )
        }
        do {
            return try decode(from: data)
        } catch let error as DecodingError {
            throw invalid(error, in: document)
        } catch {
            throw InvalidReportError(path: .root, message: "\(error)")
        }
    }

    /// A decoding error as a problem at a JSON path.
    private static func invalid(_ error: DecodingError, in document: JSONValue) -> InvalidReportError {
        func path(_ codingPath: [any CodingKey]) -> JSONPath {
            JSONPath(codingPath.map { key in key.intValue.map { .index($0) } ?? .key(key.stringValue) })
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return InvalidReportError(
                path: parent.appending(key.stringValue),
                location: locate(parent, in: document)?.location,
                message: "required field \"\(key.stringValue)\" is missing"
            )
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let at = path(context.codingPath)
            let found = locate(at, in: document)
            return InvalidReportError(
                path: at,
                location: found?.location,
                message: "expected \(expectedKind(type)), found \(found.map { describe($0.value) } ?? "nothing")"
            )
        case .dataCorrupted(let context):
            let at = path(context.codingPath)
            let found = locate(at, in: document)
            var message = context.debugDescription
            if message.contains("Cannot initialize Verdict") {
                message = "expected one of \(Verdict.allCases.map(\.rawValue).joined(separator: ", "))"
            }
            return InvalidReportError(
                path: at,
                location: found?.location,
                message: message + (found.map { ", found \(describe($0.value))" } ?? "")
            )
        @unknown default:
            return InvalidReportError(path: .root, message: "\(error)")
        }
    }

    /// The value at a path, with the location of the member that holds it (when it is a member).
    private static func locate(
        _ path: JSONPath,
        in document: JSONValue
    ) -> (value: JSONValue, location: SourceLocation?)? {
        var value = document
        var location: SourceLocation?
        for component in path.components {
            switch (component, value) {
            case (.key(let key), .object(let members)):
                guard let member = members.last(where: { $0.key == key }) else { return nil }
                value = member.value
                location = member.location == .unknown ? nil : member.location
            case (.index(let index), .array(let items)) where items.indices.contains(index):
                value = items[index]
            default:
                return nil
            }
        }
        return (value, location)
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): "\"\(text.count > 60 ? String(text.prefix(59)) + "…" : text)\""
        case .number(let number): "the number \(number.text)"
        case .bool(let flag): "\(flag)"
        default: value.kindDescription
        }
    }

    private static func expectedKind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int32.Type, is Int64.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "a value of type \(type)"
        }
    }
}
