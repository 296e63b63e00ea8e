import Foundation
import TaaSCore

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the test cases out of a JUnit XML file (as written by pytest, and most test tools).
///
/// The file comes from the sandbox, so the parse is bounded: a document with a DOCTYPE or an entity
/// declaration is refused before parsing (entity expansion costs unbounded CPU and memory), as is
/// one in an encoding other than UTF-8 (where such a declaration could hide); the document's size,
/// its number of cases, their names and messages and the parse's time are capped by ``CaseLimits``;
/// and the parse stops when its task is cancelled.
public enum JUnitParser {
    /// A JUnit file that could not be read.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The test cases of every `<testcase>` in the document.
    /// - Throws: ``Failure`` when the document is not well-formed, has a DOCTYPE or an entity
    ///   declaration, or goes beyond `limits` (the message then starts with "case limit reached").
    public static func cases(from data: Data, limits: CaseLimits = CaseLimits()) throws(Failure) -> [CaseResult] {
        if data.count > limits.reportBytes {
            throw Failure(description: limits.oversizedMessage("the JUnit XML", bytes: data.count))
        }
        if let refusal = XMLPreflight.refusal(data) { throw Failure(description: refusal) }
        let delegate = Delegate(limits: limits)
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = delegate
        delegate.parser = parser
        let parsed = parser.parse()
        if let stop = delegate.stop { throw Failure(description: stop) }
        guard parsed else {
            throw Failure(
                description:
                    "the JUnit XML is not well-formed: \(parser.parserError.map { "\($0)" } ?? "unknown error")"
            )
        }
        return delegate.cases
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        let limits: CaseLimits
        weak var parser: XMLParser?
        var cases: [CaseResult] = []
        /// Why the parse was stopped early (a limit, cancellation).
        var stop: String?
        private var current: CaseResult?
        private var outcomeElement: String?
        private var text = ""
        private var events = 0
        private let deadline: ContinuousClock.Instant

        init(limits: CaseLimits) {
            self.limits = limits
            deadline = ContinuousClock.now + limits.parseTime
        }

        /// Stops the parse with a reason.
        private func stopParsing(_ reason: String) {
            guard stop == nil else { return }
            stop = reason
            parser?.abortParsing()
        }

        /// Every few thousand events: stop when the task was cancelled or the time is up.
        private func checkpoint() {
            events += 1
            guard events & 0xFFF == 0 else { return }
            if Task.isCancelled { stopParsing("the JUnit XML was not read: the run was interrupted") }
            if ContinuousClock.now > deadline {
                stopParsing(
                    "case limit reached: reading the JUnit XML took more than \(limits.parseTime) (the limit of parse time)"
                )
            }
        }

        func parser(_ parser: XMLParser, foundElementDeclarationWithName elementName: String, model: String) {
            stopParsing(XMLPreflight.doctypeMessage)
        }

        func parser(
            _ parser: XMLParser,
            foundInternalEntityDeclarationWithName name: String,
            value: String?
        ) {
            stopParsing(XMLPreflight.doctypeMessage)
        }

        func parser(
            _ parser: XMLParser,
            foundExternalEntityDeclarationWithName name: String,
            publicID: String?,
            systemID: String?
        ) {
            stopParsing(XMLPreflight.doctypeMessage)
        }

        func parser(
            _ parser: XMLParser,
            didStartElement elementName: String,
            namespaceURI: String?,
            qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            checkpoint()
            guard stop == nil else { return }
            switch elementName {
            case "testcase":
                let seconds = Double(attributes["time"] ?? "") ?? 0
                let milliseconds = (seconds * 1000).rounded()
                current = CaseResult(
                    name: CaseLimits.cut(attributes["name"] ?? "?", to: limits.nameBytes),
                    classname: CaseLimits.cut(attributes["classname"] ?? "", to: limits.nameBytes),
                    verdict: .pass,
                    durationMS: milliseconds.isFinite && abs(milliseconds) < 1e15 ? Int(milliseconds) : 0
                )
            case "failure", "error", "skipped":
                guard current != nil else { return }
                let verdict: Verdict = elementName == "failure" ? .fail : elementName == "error" ? .error : .skipped
                // A failure outranks a skip; an error in teardown after a failure keeps the failure.
                if current!.verdict == .pass || (current!.verdict == .skipped && verdict != .skipped) {
                    current!.verdict = verdict
                    current!.message = attributes["message"].map { CaseLimits.cut($0, to: limits.messageBytes) }
                    outcomeElement = elementName
                    text = ""
                }
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            checkpoint()
            if outcomeElement != nil, text.utf8.count < limits.messageBytes { text += string }
        }

        func parser(
            _ parser: XMLParser,
            didEndElement elementName: String,
            namespaceURI: String?,
            qualifiedName: String?
        ) {
            guard stop == nil else { return }
            if elementName == outcomeElement {
                outcomeElement = nil
                let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if let message = current?.message, !message.isEmpty {
                    if !body.isEmpty, !body.contains(message) { current?.message = message + "\n" + body }
                } else if !body.isEmpty {
                    current?.message = body
                }
                if let message = current?.message {
                    current?.message = CaseLimits.cut(message, to: limits.messageBytes)
                }
            }
            if elementName == "testcase", let finished = current {
                guard cases.count < limits.casesPerScenario else {
                    cases = []
                    stopParsing(limits.perScenarioMessage)
                    return
                }
                cases.append(finished)
                current = nil
            }
        }
    }
}
