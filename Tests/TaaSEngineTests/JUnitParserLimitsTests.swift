import Foundation
import TaaSCore
import Testing

@testable import TaaSRunners

/// The JUnit parser reads files the sandbox wrote: no DOCTYPE or entity declaration, UTF-8 only,
/// bounded cases, names, messages, size and time, and it stops when its task is cancelled.
@Suite struct JUnitParserLimitsTests {
    /// One internal entity referenced `references` times: the "billion laughs" shape that cost ~50 s
    /// of host CPU per scenario before.
    static func entityBomb(references: Int = 200_000) -> Data {
        var xml =
            #"<?xml version="1.0"?><!DOCTYPE testsuite [<!ENTITY x "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA">]>"#
        xml += #"<testsuite><testcase name="a"><failure message="m">"#
        xml += String(repeating: "&x;", count: references)
        xml += "</failure></testcase></testsuite>"
        return Data(xml.utf8)
    }

    static func cases(_ count: Int, name: String = "t", message: String? = nil) -> Data {
        var xml = "<testsuite>"
        for index in 0..<count {
            if let message {
                xml += #"<testcase classname="c" name="\#(name)\#(index)"><failure message="\#(message)"/></testcase>"#
            } else {
                xml += #"<testcase classname="c" name="\#(name)\#(index)"/>"#
            }
        }
        return Data((xml + "</testsuite>").utf8)
    }

    @Test func anEntityBombIsRefusedAtOnceNamingTheDoctype() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let error = #expect(throws: JUnitParser.Failure.self) { try JUnitParser.cases(from: Self.entityBomb()) }
        #expect(error?.description.contains("DOCTYPE") == true)
        #expect(clock.now - started < .seconds(1))
    }

    @Test(arguments: [
        #"<!doctype testsuite><testsuite/>"#,
        #"<testsuite><!ENTITY x "y"></testsuite>"#,
        #"<?xml version="1.0"?>"# + "\n" + #"<!DOCTYPE testsuite SYSTEM "file:///etc/passwd"><testsuite/>"#,
    ])
    func anyDoctypeOrEntityDeclarationIsRefused(_ xml: String) {
        let error = #expect(throws: JUnitParser.Failure.self) { try JUnitParser.cases(from: Data(xml.utf8)) }
        #expect(error?.description == XMLPreflight.doctypeMessage)
        #expect(ToolJudgement.isRefusal(XMLPreflight.doctypeMessage))
    }

    @Test func aDocumentInAnotherEncodingIsRefused() throws {
        // UTF-16 would spell "<!DOCTYPE" in bytes the scan does not match; UTF-7 hides it as "+ADw-".
        let utf16 = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><testsuite/>".data(using: .utf16)!
        let utf7 = Data(#"<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE x+AD4-<testsuite/>"#.utf8)
        for data in [utf16, utf7] {
            let error = #expect(throws: JUnitParser.Failure.self) { try JUnitParser.cases(from: data) }
            #expect(error?.description.contains("UTF-8") == true, "\(error?.description ?? "")")
        }
        // UTF-8 with or without a declaration is read.
        #expect(
            try JUnitParser.cases(
                from: Data(#"<?xml version="1.0" encoding="utf-8"?><testsuite><testcase name="a"/></testsuite>"#.utf8)
            ).count == 1
        )
    }

    @Test func moreCasesThanTheLimitIsCaseLimitReached() throws {
        let limits = CaseLimits(casesPerScenario: 1000)
        #expect(try JUnitParser.cases(from: Self.cases(1000), limits: limits).count == 1000)
        let error = #expect(throws: JUnitParser.Failure.self) {
            try JUnitParser.cases(from: Self.cases(1001), limits: limits)
        }
        let text = error?.description ?? ""
        #expect(
            text.hasPrefix("case limit reached") && text.contains("1000") && text.contains("cases per scenario"),
            "\(text)"
        )
    }

    @Test func aReportBiggerThanTheLimitIsCaseLimitReached() {
        let error = #expect(throws: JUnitParser.Failure.self) {
            try JUnitParser.cases(from: Self.cases(100), limits: CaseLimits(reportBytes: 1000))
        }
        #expect(error?.description.hasPrefix("case limit reached") == true)
    }

    @Test func namesAndMessagesAreCutToTheirLimits() throws {
        let long = String(repeating: "n", count: 5000)
        let cases = try JUnitParser.cases(
            from: Self.cases(2, name: long, message: String(repeating: "m", count: 50_000)),
            limits: CaseLimits(nameBytes: 100, messageBytes: 200)
        )
        #expect(cases.count == 2)
        #expect(cases.allSatisfy { $0.name.utf8.count <= 100 && $0.name.hasSuffix("…") })
        #expect(cases.allSatisfy { ($0.message?.utf8.count ?? 0) <= 200 })
    }

    @Test func aCancelledParseStops() async throws {
        let data = Self.cases(200_000)
        let outcome = await withTaskGroup(of: String.self) { group in
            group.addTask {
                while !Task.isCancelled { await Task.yield() }
                do {
                    return "read \(try JUnitParser.cases(from: data).count) cases"
                } catch {
                    return "\(error)"
                }
            }
            group.cancelAll()
            return await group.next() ?? ""
        }
        #expect(outcome.contains("interrupted"), "\(outcome)")
    }

    @Test func aGoStreamWithMoreTestsThanTheLimitIsCaseLimitReached() {
        var stream = ""
        for index in 0..<1001 {
            stream += #"{"Action":"run","Package":"p","Test":"T\#(index)"}"# + "\n"
            stream += #"{"Action":"pass","Package":"p","Test":"T\#(index)","Elapsed":0.1}"# + "\n"
        }
        let limits = CaseLimits(casesPerScenario: 1000)
        let (cases, problem) = GoTestEvents.cases(fromEvents: Data(stream.utf8), limits: limits)
        #expect(cases.isEmpty)
        #expect(problem?.hasPrefix("case limit reached") == true)
        #expect(GoTestEvents.cases(fromEvents: Data(stream.utf8)).cases.count == 1001)
    }

    @Test func cargoOutputWithMoreTestsThanTheLimitIsCaseLimitReached() {
        let output = (0..<11).map { "test t\($0) ... ok" }.joined(separator: "\n")
        let (cases, problem) = CargoTestOutput.cases(fromOutput: output, limits: CaseLimits(casesPerScenario: 10))
        #expect(cases.isEmpty)
        #expect(problem?.hasPrefix("case limit reached") == true)
        #expect(CargoTestOutput.cases(fromOutput: output).cases.count == 11)
    }
}
