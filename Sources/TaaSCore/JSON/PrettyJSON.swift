import Foundation

/// Indented JSON text of a value that keeps its members' order and its numbers' text exactly, so
/// that reading the text back gives the same canonical form (what a signature covers).
public enum PrettyJSON {
    /// The indented UTF-8 text of `value`, ending with a newline.
    public static func data(_ value: JSONValue) -> Data {
        var output = ""
        write(value, indent: "", to: &output)
        output += "\n"
        return Data(output.utf8)
    }

    private static func write(_ value: JSONValue, indent: String, to output: inout String) {
        let inner = indent + "  "
        switch value {
        case .null, .bool, .string: output += CanonicalJSON.string(value)
        case .number(let number): output += number.text
        case .array(let elements):
            guard !elements.isEmpty else {
                output += "[]"
                return
            }
            output += "[\n"
            for (offset, element) in elements.enumerated() {
                output += inner
                write(element, indent: inner, to: &output)
                output += offset < elements.count - 1 ? ",\n" : "\n"
            }
            output += indent + "]"
        case .object(let members):
            guard !members.isEmpty else {
                output += "{}"
                return
            }
            output += "{\n"
            for (offset, member) in members.enumerated() {
                output += inner
                CanonicalJSON.writeString(member.key, to: &output)
                output += ": "
                write(member.value, indent: inner, to: &output)
                output += offset < members.count - 1 ? ",\n" : "\n"
            }
            output += indent + "}"
        }
    }
}
