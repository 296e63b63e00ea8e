import ArgumentParser
import Foundation
import TaaSCore
import TaaSReporting

/// `taas report REPORT.json --format FORMAT`: renders a report written by `taas run` again, in any format.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render a report.json as HTML, Markdown, JUnit XML or JSON.",
        discussion: """
            Every format is rendered from the one report model, exactly as `taas run` writes it: \
            html is report.html, md is summary.md, junit is junit.xml, json is report.json.
            Exit codes: 0 rendered, 2 the output cannot be written, 3 the file is not a TaaS report \
            (the error names the JSON path of the problem).
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, md, junit, json
    }

    @Argument(help: "The report.json written by `taas run`.")
    var report: String

    @Option(help: "The format to render.")
    var format: Format

    @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: report))
        } catch {
            throw CommandOutcome.invalidReport("taas: cannot read \(report): \(error.localizedDescription)")
        }
        let model: TaaSReport
        do {
            model = try TaaSReport.read(from: data)
        } catch {
            throw CommandOutcome.invalidReport("taas: \(report): \(error)")
        }
        let rendered: Data
        do {
            rendered = try ReportFormat(rawValue: format.rawValue)!.render(model)
        } catch {
            throw CommandOutcome.error("taas: cannot render \(report) as \(format.rawValue): \(error)")
        }
        guard let output else {
            FileHandle.standardOutput.write(rendered)
            return
        }
        do {
            try rendered.write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CommandOutcome.error("taas: cannot write \(output): \(error.localizedDescription)")
        }
    }
}
