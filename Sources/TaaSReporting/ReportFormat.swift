import Foundation
import TaaSCore

/// The files a report can be rendered as. Every renderer reads the one report model (``TaaSReport``).
public enum ReportFormat: String, Sendable, CaseIterable, Comparable {
    /// `report.json`: the record; ``TaaSReport/decode(from:)`` reads it back.
    case json
    /// `junit.xml`: for CI systems.
    case junit
    /// `report.html`: one self-contained page for people.
    case html
    /// `summary.md`: a short Markdown summary for a pull-request comment or `$GITHUB_STEP_SUMMARY`.
    case md

    /// The file's name in the output folder.
    public var fileName: String {
        switch self {
        case .json: "report.json"
        case .junit: "junit.xml"
        case .html: "report.html"
        case .md: "summary.md"
        }
    }

    /// The report rendered in this format.
    /// - Throws: `EncodingError` only for `json`, when the report cannot be encoded.
    public func render(_ report: TaaSReport) throws -> Data {
        switch self {
        case .json: return try report.jsonData()
        case .junit: return Data(JUnitReport.render(report).utf8)
        case .html: return Data(HTMLReport.render(report).utf8)
        case .md: return Data(MarkdownSummary.render(report).utf8)
        }
    }

    /// Parses a comma-separated list such as `json,junit,html,md`.
    /// - Throws: ``UnknownReportFormat`` naming the first unknown name.
    public static func list(_ text: String) throws(UnknownReportFormat) -> Set<ReportFormat> {
        var formats: Set<ReportFormat> = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard let format = ReportFormat(rawValue: trimmed) else { throw UnknownReportFormat(name: trimmed) }
            formats.insert(format)
        }
        return formats
    }

    public static func < (lhs: ReportFormat, rhs: ReportFormat) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A report format name that `taas` does not know.
public struct UnknownReportFormat: Error, Sendable, CustomStringConvertible {
    /// The name as given.
    public var name: String

    public var description: String {
        let known = ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")
        return name.isEmpty
            ? "an empty report format name; expected a comma-separated list of \(known)"
            : "unknown report format \"\(name)\"; expected one of \(known)"
    }
}
