import Foundation
import MCP
import TaaSCore

extension Value {
    /// The MCP value of a contract JSON value (numbers that are whole become `int`).
    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let number):
            if let exact = Int(number.text) { self = .int(exact) } else { self = .double(number.double) }
        case .string(let text): self = .string(text)
        case .array(let elements): self = .array(elements.map(Value.init(json:)))
        case .object(let members):
            self = .object(Dictionary(members.map { ($0.key, Value(json: $0.value)) }, uniquingKeysWith: { $1 }))
        }
    }

    /// The MCP value of a JSON document.
    init(jsonData data: Data) throws {
        self.init(json: try JSONParser.parse(data).value)
    }

    /// The contract JSON value of an MCP value (for a scope given inline to a tool).
    var json: JSONValue {
        switch self {
        case .null: .null
        case .bool(let value): .bool(value)
        case .int(let value): .number(JSONNumber(String(value)))
        case .double(let value): .number(JSONNumber(String(value)))
        case .string(let text): .string(text)
        case .data(_, let data): .string(data.base64EncodedString())
        case .array(let elements): .array(elements.map(\.json))
        case .object(let members):
            .object(members.sorted { $0.key < $1.key }.map { JSONMember(key: $0.key, value: $0.value.json) })
        }
    }
}
