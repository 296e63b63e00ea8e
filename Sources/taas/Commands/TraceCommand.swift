import ArgumentParser
import Foundation
import TaaSTelemetry

/// `taas trace OUT/trace.json`: prints a run's trace as an indented tree.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Print a run's trace.json as an indented tree of spans with durations and statuses.",
        discussion: """
            `taas run` always writes OUT/trace.json: the run's spans as an OTLP/JSON ExportTraceServiceRequest \
            (the run, its phases, steps, services, scenarios, attempts and cases). Each line is a span's name, \
            its duration and its status (UNSET, OK, or ERROR with its short description). See docs/telemetry.md.
            Exit codes: 0 printed, 3 the file is not a trace (the error names the JSON path of the problem).
            """
    )

    @Argument(help: "The trace.json written by `taas run`.")
    var file: String

    func run() throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw CommandOutcome.invalidReport("taas: cannot read \(file): \(error.localizedDescription)")
        }
        do {
            let document = try OTLPTraceDocument.read(from: data, file: file)
            print(TraceTree.render(document), terminator: "")
        } catch {
            throw CommandOutcome.invalidReport("taas: \(error)")
        }
    }
}
