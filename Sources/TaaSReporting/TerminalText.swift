/// The one cleaner for text that came from the sandbox (output lines, case and class names, messages)
/// before it reaches a console or a rendered report.
///
/// Whole escape sequences are removed — CSI (`ESC [` … final byte, or the 8-bit `U+009B`), OSC
/// (`ESC ]` … BEL or ST, or `U+009D`; clipboard writes, hyperlinks, window titles), DCS, SOS, PM and
/// APC strings (`ESC P`/`X`/`^`/`_` … ST, or their 8-bit forms), and two- or three-character escapes
/// (`ESC 7`, `ESC ( B`) — so that nothing the sandbox printed can move the cursor, repaint a line,
/// write the clipboard or make a link. Other C0 controls (but tab and line feed), DEL and the C1
/// controls `U+0080`–`U+009F` are shown as `�`; `\r\n` becomes `\n` and a lone `\r` a line break.
/// The raw bytes stay in the log files only.
public enum TerminalText {
    /// `text` without escape sequences and control characters (see the type's description).
    /// - Parameter keepingStyles: keep SGR sequences (`ESC [ 1;31 m`: colours and weight only),
    ///   for text that taas itself painted; never for text from the sandbox.
    public static func clean(_ text: String, keepingStyles: Bool = false) -> String {
        var result = String.UnicodeScalarView()
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            switch scalar.value {
            case 0x1B:
                guard let next = scalars.popFirst() else { break }
                switch next {
                case "[":
                    let sequence = controlSequence(&scalars)
                    if keepingStyles, sequence.final == "m",
                        sequence.body.allSatisfy({ $0 == ";" || ("0"..."9").contains($0) })
                    {
                        result.append("\u{1B}")
                        result.append("[")
                        result.append(contentsOf: sequence.body)
                        result.append("m")
                    }
                case "]", "P", "X", "^", "_":
                    skipString(&scalars)
                default:
                    // ESC, intermediate bytes (0x20–0x2F), one final byte.
                    var current = next
                    while (0x20...0x2F).contains(current.value), let following = scalars.popFirst() {
                        current = following
                    }
                }
            case 0x9B:
                _ = controlSequence(&scalars)
            case 0x9D, 0x90, 0x98, 0x9E, 0x9F:
                skipString(&scalars)
            case 0x0D:
                if scalars.first != "\n" { result.append("\n") }
            case 0x09, 0x0A:
                result.append(scalar)
            case 0x00..<0x20, 0x7F...0x9F, 0xFFFE, 0xFFFF:
                result.append("\u{FFFD}")
            default:
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Text for one line of a console: cleaned, with line breaks and tabs made spaces.
    public static func line(_ text: String) -> String {
        String(String.UnicodeScalarView(clean(text).unicodeScalars.map { $0 == "\n" || $0 == "\t" ? " " : $0 }))
    }

    /// A CSI sequence after its introducer: parameter and intermediate bytes, up to its final byte
    /// (0x40–0x7E). A character outside the sequence's ranges ends it too (and is dropped).
    private static func controlSequence(
        _ scalars: inout Substring.UnicodeScalarView
    ) -> (body: [Unicode.Scalar], final: Unicode.Scalar?) {
        var body: [Unicode.Scalar] = []
        while let next = scalars.popFirst() {
            if (0x40...0x7E).contains(next.value) { return (body, next) }
            guard (0x20...0x3F).contains(next.value) else { return (body, nil) }
            body.append(next)
        }
        return (body, nil)
    }

    /// An OSC, DCS, SOS, PM or APC string after its introducer, up to its terminator: BEL, `ESC \`
    /// or the 8-bit ST (`U+009C`); the whole rest of the text when it has none.
    private static func skipString(_ scalars: inout Substring.UnicodeScalarView) {
        while let next = scalars.popFirst() {
            if next.value == 0x07 || next.value == 0x9C { return }
            if next.value == 0x1B {
                if scalars.first == "\\" { scalars.removeFirst() }
                return
            }
        }
    }
}
