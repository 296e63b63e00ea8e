import Foundation
import TaaSCore

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads the test cases out of a JUnit XML file (as written by pytest, and most test tools).
public enum JUnitParser {
    /// A JUnit file that could not be read.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The test cases of every `<testcase>` in the document.
    public static func cases(from data: Data) throws(Failure) -> [CaseResult] {
        let delegate = Delegate()
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        guard parser.parse() else {
            throw Failure(description: "the JUnit XML is not well-formed: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        return delegate.cases
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var cases: [CaseResult] = []
        private var current: CaseResult?
        private var outcomeElement: String?
        private var text = ""

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch elementName {
            case "testcase":
                let seconds = Double(attributes["time"] ?? "") ?? 0
                current = CaseResult(
                    name: attributes["name"] ?? "?", classname: attributes["classname"] ?? "",
                    verdict: .pass, durationMS: Int((seconds * 1000).rounded()))
            case "failure", "error", "skipped":
                guard current != nil else { return }
                let verdict: Verdict = elementName == "failure" ? .fail : elementName == "error" ? .error : .skipped
                // A failure outranks a skip; an error in teardown after a failure keeps the failure.
                if current!.verdict == .pass || (current!.verdict == .skipped && verdict != .skipped) {
                    current!.verdict = verdict
                    current!.message = attributes["message"]
                    outcomeElement = elementName
                    text = ""
                }
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if outcomeElement != nil, text.utf8.count < 16 * 1024 { text += string }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            if elementName == outcomeElement {
                outcomeElement = nil
                let body = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if let message = current?.message, !message.isEmpty {
                    if !body.isEmpty, !body.contains(message) { current?.message = message + "\n" + body }
                } else if !body.isEmpty {
                    current?.message = body
                }
            }
            if elementName == "testcase", let finished = current {
                cases.append(finished)
                current = nil
            }
        }
    }
}
