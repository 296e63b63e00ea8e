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
    public static func write(_ report: TaaSReport, to directory: URL, formats: Set<ReportFormat>) async throws(Failure)
    {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(
                description: "cannot create the output folder \(directory.path): \(error.localizedDescription)"
            )
        }
        // Rendered and written side by side: each file is rendered from the one model, and each
        // atomic write waits for its own sync to disk.
        let ordered = formats.union([.json]).sorted()
        let failures = await withTaskGroup(of: (Int, Failure?).self) { group in
            for (index, format) in ordered.enumerated() {
                group.addTask { (index, writeFile(format, of: report, in: directory)) }
            }
            var failures: [(Int, Failure)] = []
            for await (index, failure) in group {
                if let failure { failures.append((index, failure)) }
            }
            return failures.sorted { $0.0 < $1.0 }.map(\.1)
        }
        if let first = failures.first { throw first }
    }

    private static func writeFile(_ format: ReportFormat, of report: TaaSReport, in directory: URL) -> Failure? {
        let url = directory.appendingPathComponent(format.fileName)
        let data: Data
        do { data = try format.render(report) } catch {
            return Failure(description: "cannot render \(format.fileName): \(error)")
        }
        do { try data.write(to: url, options: .atomic) } catch {
            return Failure(description: "cannot write \(url.path): \(error.localizedDescription)")
        }
        return nil
    }
}
