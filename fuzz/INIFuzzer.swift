// The libFuzzer entry point for the INI reader of the lock (TaaSIntegrity's INIFile, which reads
// pytest.ini, tox.ini and setup.cfg as pytest does), compiled with that one file by `fuzz/run`.
//
// Every input must be answered without a crash or a hang, and an accepted file must survive a round
// trip: written back in its plain form and read again, it gives the same sections, keys and values.
// A reader that loses or invents a setting would let the lock miss a change of meaning.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzINIFile(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    let text = String(decoding: data, as: UTF8.self)
    guard let file = try? INIFile(parsing: text) else { return 0 }
    let written = INIRoundTrip.write(file)
    let again: INIFile
    do {
        again = try INIFile(parsing: written)
    } catch {
        fatalError("the plain form of an accepted file is refused (\(error)): \(written.debugDescription)")
    }
    guard again == file else {
        fatalError("a round trip changed the file: \(text.debugDescription) → \(written.debugDescription)")
    }
    return 0
}

enum INIRoundTrip {
    /// The plain form: `[name]`, then `key= value` (`key: value` when the key holds a `:`), with a
    /// multi-line value's further lines indented.
    static func write(_ file: INIFile) -> String {
        var text = ""
        for section in file.sections {
            text += "[\(section.name)]\n"
            for entry in section.entries {
                let pieces = entry.value.split(separator: "\n", omittingEmptySubsequences: false)
                text += entry.key + (entry.key.contains(":") ? ": " : "= ") + (pieces.first ?? "") + "\n"
                for piece in pieces.dropFirst() { text += "    \(piece)\n" }
            }
        }
        return text
    }
}
