import Foundation
import TaaSCore

/// Writes a report's files into the output folder, each atomically (a reader never sees half a file).
public enum ReportWriter {
    /// A report file that could not be written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Writes `report.json` and the files of `formats` (`junit.xml`, `report.html`, `summary.md`).
    ///
    /// `report.json` is always written, whether `formats` names it or not: it is the record that
    /// `taas report` renders every other format from.
    public static func write(_ report: TaaSReport, to directory: URL, formats: Set<ReportFormat>) throws(Failure) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create the output folder \(directory.path): \(error.localizedDescription)")
        }
        for format in formats.union([.json]).sorted() {
            let data: Data
            do { data = try format.render(report) } catch {
                throw Failure(description: "cannot render \(format.fileName): \(error)")
            }
            let url = directory.appendingPathComponent(format.fileName)
            do { try data.write(to: url, options: .atomic) } catch {
                throw Failure(description: "cannot write \(url.path): \(error.localizedDescription)")
            }
        }
    }
}
