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
        if let failure = await write(report, to: directory, formats: formats, completing: { $0 }).failure {
            throw failure
        }
    }

    /// Writes the files of `formats` from `report` while `complete` finishes the record, then
    /// `report.json` from what `complete` returns. Returns that report, and the first file that
    /// could not be written.
    ///
    /// For what only the record holds and takes time to learn (the telemetry export's outcome):
    /// the other files are rendered and written meanwhile instead of after it. With a `clock`,
    /// their rendering is its `report_rendering` phase, and report.json gets the clock's `timing`.
    public static func write(
        _ report: TaaSReport,
        to directory: URL,
        formats: Set<ReportFormat>,
        clock: PhaseClock? = nil,
        completing complete: @escaping @Sendable (TaaSReport) async -> TaaSReport
    ) async -> (report: TaaSReport, failure: Failure?) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            let failure = Failure(
                description: "cannot create the output folder \(directory.path): \(error.localizedDescription)"
            )
            return (await complete(report), failure)
        }
        // Rendered and written side by side: each file is rendered from the one model, and each
        // atomic write waits for its own sync to disk. report.json waits for the record and for
        // the others' rendering (not their writing), whose end it records.
        let ordered = formats.union([.json]).sorted()
        let others = ordered.filter { $0 != .json }.count
        let (renderings, rendered) = AsyncStream<ContinuousClock.Instant>.makeStream()
        let renderingStart = ContinuousClock.now
        let (record, failures) = await withTaskGroup(of: (Int, TaaSReport?, Failure?).self) { group in
            for (index, format) in ordered.enumerated() {
                group.addTask {
                    guard format == .json else {
                        let data = render(format, of: report)
                        rendered.yield(.now)
                        return (index, nil, store(data, as: format, in: directory))
                    }
                    var record = await complete(report)
                    var lastRendered = renderingStart
                    for await end in renderings.prefix(others) { lastRendered = max(lastRendered, end) }
                    if let clock {
                        if others > 0 { clock.record("report_rendering", from: renderingStart, to: lastRendered) }
                        record.timing = clock.timing
                    }
                    return (index, record, store(render(.json, of: record), as: .json, in: directory))
                }
            }
            var record = report
            var failures: [(Int, Failure)] = []
            for await (index, completed, failure) in group {
                if let completed { record = completed }
                if let failure { failures.append((index, failure)) }
            }
            return (record, failures.sorted { $0.0 < $1.0 }.map(\.1))
        }
        rendered.finish()
        return (record, failures.first)
    }

    /// The file's bytes, or why it could not be rendered.
    private static func render(_ format: ReportFormat, of report: TaaSReport) -> Result<Data, Failure> {
        do { return .success(try format.render(report)) } catch {
            return .failure(Failure(description: "cannot render \(format.fileName): \(error)"))
        }
    }

    /// Writes the rendered file atomically; returns why it could not be rendered or written.
    private static func store(_ rendered: Result<Data, Failure>, as format: ReportFormat, in directory: URL) -> Failure?
    {
        let data: Data
        switch rendered {
        case .failure(let failure): return failure
        case .success(let bytes): data = bytes
        }
        let url = directory.appendingPathComponent(format.fileName)
        do { try data.write(to: url, options: .atomic) } catch {
            return Failure(description: "cannot write \(url.path): \(error.localizedDescription)")
        }
        return nil
    }
}
