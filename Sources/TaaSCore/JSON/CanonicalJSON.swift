import Foundation

/// The canonical text of a JSON value: object members sorted by key (by their UTF-16 code units,
/// as RFC 8785 does), no insignificant whitespace, minimal string escapes, numbers in a single form.
///
/// Two documents that differ only in key order or whitespace have the same canonical text, and so
/// the same fingerprint.
public enum CanonicalJSON {
    /// The canonical UTF-8 text of `value`.
    public static func data(_ value: JSONValue) -> Data {
        var output = ""
        write(value, to: &output)
        return Data(output.utf8)
    }

    /// The canonical text of `value`.
    public static func string(_ value: JSONValue) -> String {
        var output = ""
        write(value, to: &output)
        return output
    }

    private static func write(_ value: JSONValue, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let number): output += canonicalNumber(number)
        case .string(let text): writeString(text, to: &output)
        case .array(let elements):
            output += "["
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output += "," }
                write(element, to: &output)
            }
            output += "]"
        case .object(let members):
            // The last of duplicate keys wins, as in most JSON readers.
            var byKey: [String: JSONValue] = [:]
            for member in members { byKey[member.key] = member.value }
            output += "{"
            for (offset, key) in byKey.keys.sorted(by: { Array($0.utf16).lexicographicallyPrecedes(Array($1.utf16)) })
                .enumerated()
            {
                if offset > 0 { output += "," }
                writeString(key, to: &output)
                output += ":"
                write(byKey[key]!, to: &output)
            }
            output += "}"
        }
    }

    /// Numbers are read as IEEE doubles (as RFC 8785 does), so `1e16`, `10000000000000000` and
    /// `1.0e16` have one form: integral values below 10^21 print as plain digits, others in the
    /// shortest form that reads back to the same double.
    static func canonicalNumber(_ number: JSONNumber) -> String {
        let value = number.double
        if value == 0 { return "0" }
        if value.rounded() == value, abs(value) < 1e21 { return String(format: "%.0f", value) }
        return "\(value)"
    }

    static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20: output += String(format: "\\u%04x", scalar.value)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
