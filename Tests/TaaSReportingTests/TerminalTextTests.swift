import Foundation
import TaaSCore
import Testing

@testable import TaaSReporting

/// The one cleaner of text from the sandbox: every kind of escape sequence is removed whole, C0 and
/// C1 controls are shown as `�`, and the console never prints one of them (but taas's own colours).
@Suite struct TerminalTextTests {
    static let esc = "\u{1B}"

    @Test(
        arguments: [
            ("CSI cursor up and erase line", "\(esc)[1A\(esc)[2KPASS", "PASS"),
            ("CSI with private parameters", "a\(esc)[?1049hb", "ab"),
            ("SGR colour", "\(esc)[31;1mred\(esc)[0m", "red"),
            ("OSC 52 clipboard, BEL", "x\(esc)]52;c;ZXZpbA==\u{07}y", "xy"),
            ("OSC 8 hyperlink, ST", "\(esc)]8;;http://127.0.0.1/\(esc)\\link\(esc)]8;;\(esc)\\", "link"),
            ("OSC window title", "\(esc)]0;pwned\u{07}t", "t"),
            ("DCS", "\(esc)P1$qm\(esc)\\after", "after"),
            ("APC", "\(esc)_secret\(esc)\\after", "after"),
            ("PM and SOS", "\(esc)^pm\(esc)\\\(esc)Xsos\(esc)\\after", "after"),
            ("two-character escape", "\(esc)7save\(esc)8", "save"),
            ("escape with an intermediate", "\(esc)(Bascii\(esc)#8", "ascii"),
            ("8-bit CSI", "\u{9B}2Jcleared", "cleared"),
            ("8-bit OSC up to 8-bit ST", "\u{9D}52;c;ZXZpbA==\u{9C}rest", "rest"),
            ("8-bit DCS", "\u{90}q\u{9C}rest", "rest"),
            ("other C1 controls", "a\u{85}b\u{8D}c", "a\u{FFFD}b\u{FFFD}c"),
            ("C0 controls and DEL", "a\u{0}b\u{7}c\u{7F}d\u{8}e", "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e"),
            ("an escape cut short", "end\(esc)", "end"),
            ("an unterminated OSC swallows the rest", "a\(esc)]52;c;AAAA", "a"),
            ("tab and line feed stay", "a\tb\nc\r\nd\re", "a\tb\nc\nd\ne"),
        ] as [(String, String, String)]
    )
    func eachEscapeKindIsRemovedWhole(_ kind: String, _ input: String, _ expected: String) {
        #expect(TerminalText.clean(input) == expected, "\(kind)")
        #expect(ReportText.clean(input) == expected, "\(kind)")
    }

    @Test func onlyPlainStylesSurviveWhenAsked() {
        let painted = "\(Self.esc)[32;1mPASS\(Self.esc)[0m \(Self.esc)[1A\(Self.esc)]52;c;eA==\u{07}x"
        #expect(TerminalText.clean(painted, keepingStyles: true) == "\(Self.esc)[32;1mPASS\(Self.esc)[0m x")
        #expect(TerminalText.clean(painted) == "PASS x")
    }

    @Test func aConsoleLineHasNoBreaks() {
        #expect(TerminalText.line("a\nb\tc\r\(Self.esc)[2Kd") == "a b c d")
    }

    /// A report whose names, messages and output carry every kind of escape: the console prints
    /// their text and no control character, in every verbosity, with and without colours.
    @Test(arguments: [ConsoleReporter.Verbosity.normal, .verbose], [false, true])
    func theConsolePrintsNoEscapeFromTheSandbox(verbosity: ConsoleReporter.Verbosity, colors: Bool) {
        let esc = Self.esc
        let hostile =
            "\(esc)]52;c;ZXZpbA==\u{07}\(esc)[1A\(esc)[2K\(esc)[32mPASS\(esc)[0m\u{9B}2J\u{9D}8;;x\u{9C}\(esc)Pq\(esc)\\"
        var report = SampleReports.failing()
        report.scenarios[0].cases[1].name = "test_\(hostile)name"
        report.scenarios[0].cases[1].classname = "cls\(hostile)"
        report.scenarios[0].cases[1].message = "E   \(hostile)message\nline two \(hostile)"
        report.scenarios[0].message = "scenario \(hostile) message\nPASS [9/9] fake line"
        report.scenarios[2].attempts[0].output.stdoutTail = "out \(hostile)\n"
        report.setup[0].output.stdoutTail = hostile
        report.errors[0].message = "teardown \(hostile)"
        let output = ConsoleReporterTests.replay(report, verbosity: verbosity, colors: colors)
        #expect(output.contains("name"))
        #expect(output.contains("scenario PASS"))
        let stripped = TerminalText.clean(output)
        let controls = stripped.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value)
        }
        #expect(controls.isEmpty)
        // Without colours, not a single escape; with them, only SGR styles.
        if !colors {
            #expect(
                !output.unicodeScalars.contains { $0.value == 0x1B || (0x80...0x9F).contains($0.value) },
                "\(output)"
            )
        } else {
            #expect(TerminalText.clean(output, keepingStyles: true) == output)
            #expect(!output.unicodeScalars.contains { (0x80...0x9F).contains($0.value) || $0.value == 0x07 })
        }
        // A message's second line is indented under its scenario: it cannot pass for one of taas's lines.
        #expect(!output.contains("\nPASS [9/9] fake line"))
        #expect(output.contains("\n       PASS [9/9] fake line"))
    }
}
