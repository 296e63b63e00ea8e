import Foundation
import TaaSCore

/// Writes a report's files into the output folder, each atomically (a reader never sees half a file).
public enum ReportWriter {
    /// A report file that could not be written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Writes `report.json` and/or `junit.xml` (by format name: `json`, `junit`).
    public static func write(_ report: TaaSReport, to directory: URL, formats: [String]) throws(Failure) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create the output folder \(directory.path): \(error.localizedDescription)")
        }
        for format in formats.sorted() {
            let (name, data): (String, Data)
            switch format {
            case "json":
                do { (name, data) = ("report.json", try report.jsonData()) } catch {
                    throw Failure(description: "cannot encode the report: \(error)")
                }
            case "junit":
                (name, data) = ("junit.xml", Data(JUnitReport.render(report).utf8))
            default:
                continue
            }
            let url = directory.appendingPathComponent(name)
            do { try data.write(to: url, options: .atomic) } catch {
                throw Failure(description: "cannot write \(url.path): \(error.localizedDescription)")
            }
        }
    }
}
