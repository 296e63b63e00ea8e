/// The bounds on what a runner reads from the sandbox's test output: how many cases, how long their
/// names and messages, how big and how slow a report to parse.
///
/// The sandbox writes the reports, so nothing in them may make taas's memory or CPU grow without
/// bound. Beyond a count or size limit the scenario is `error` with "case limit reached" (naming the
/// limit); names and messages beyond their length are cut, ending in "…".
public struct CaseLimits: Sendable, Hashable {
    /// Test cases one scenario attempt may report. Default 50,000.
    public var casesPerScenario: Int
    /// Test cases all scenarios of a run may report together. Default 200,000.
    public var casesPerRun: Int
    /// UTF-8 bytes of a case's name, and of its classname. Default 1,024.
    public var nameBytes: Int
    /// UTF-8 bytes of a case's message. Default 16 KiB.
    public var messageBytes: Int
    /// Bytes of one report or event stream a runner parses (a JUnit file, `go test -json`'s events,
    /// cargo's output). Default 64 MiB.
    public var reportBytes: Int
    /// The time one report's parse may take. Default 30 seconds.
    public var parseTime: Duration

    /// The documented defaults.
    public init(
        casesPerScenario: Int = 50_000,
        casesPerRun: Int = 200_000,
        nameBytes: Int = 1024,
        messageBytes: Int = 16 * 1024,
        reportBytes: Int = 64 * 1024 * 1024,
        parseTime: Duration = .seconds(30)
    ) {
        self.casesPerScenario = casesPerScenario
        self.casesPerRun = casesPerRun
        self.nameBytes = nameBytes
        self.messageBytes = messageBytes
        self.reportBytes = reportBytes
        self.parseTime = parseTime
    }

    /// "case limit reached: more than 50000 test cases in one scenario (casesPerScenario)".
    public var perScenarioMessage: String {
        "case limit reached: more than \(casesPerScenario) test cases in one scenario (the limit of cases per scenario)"
    }

    /// "case limit reached: …" for a report bigger than ``reportBytes``.
    public func oversizedMessage(_ what: String, bytes: Int) -> String {
        "case limit reached: \(what) has \(bytes) bytes, more than the \(reportBytes) bytes a report may have"
    }

    /// A case with its name, classname and message cut to the limits.
    public func bounded(_ result: CaseResult) -> CaseResult {
        var copy = result
        copy.name = Self.cut(result.name, to: nameBytes)
        copy.classname = Self.cut(result.classname, to: nameBytes)
        copy.message = result.message.map { Self.cut($0, to: messageBytes) }
        return copy
    }

    /// `text` when it has at most `limit` UTF-8 bytes; otherwise its longest prefix of whole
    /// characters that fits, followed by "…".
    public static func cut(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf8.count
            if used + size > max(0, limit - 3) { break }
            used += size
            end = text.index(after: index)
        }
        return String(text[..<end]) + "…"
    }
}
