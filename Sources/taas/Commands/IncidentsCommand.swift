import ArgumentParser
import Foundation
import TaaSCore
import TaaSShiftRight

extension RecordingFormat: ExpressibleByArgument {}

/// `taas incidents FILE…`: production incidents in logs and recordings turned into regression scenarios.
struct IncidentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract:
            "Turn production incidents (5xx, no answer, errors) in logs and recordings into regression scenarios.",
        discussion: """
            Reads HAR 1.2 recordings, nginx/Apache access logs (combined format, or --log-format), JSON-lines \
            structured logs (--field to map their keys) and OTLP/JSON trace files; each file's format is told \
            from its content unless --format is given. An incident is a request answered 5xx or not at all, or \
            an error or exception tied to a request (by trace id or request id). Incidents are grouped by \
            method, route (ids collapsed to {id}) and error signature; each group becomes one native http \
            scenario (id INC-xxxxxxxx, type regression) that expects no 5xx answer, sent to --base-url.

            Secrets are kept out: Authorization, Cookie, API-key and token headers are dropped, and secret \
            query parameters and JSON members are masked as ***.

            Writes a fragment {"fragment": "taas-incidents/1", "scenarios": […], "incidents": […]} to --output \
            or standard output; add it to a scope with `taas scope merge`. See docs/incidents.md.

            Exit codes: 0 (also when no incident was found), 2 a file cannot be read or an option is wrong.
            """
    )

    @Argument(help: "Log or recording files.", completion: .file())
    var files: [String]

    @Option(help: "The files' format: har, access-log, jsonl or otlp (default: told from each file's content).")
    var format: RecordingFormat?

    @Option(help: "Where the scenarios send their requests: an http:// loopback URL (default: http://127.0.0.1:8080).")
    var baseURL: String = LoopbackBaseURL.standard.description

    @Option(name: .shortAndLong, help: "Write the fragment to this file (default: standard output).")
    var output: String?

    @Option(
        help: """
            The access log's fields in order, as nginx's log_format names them \
            (e.g. '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent').
            """
    )
    var logFormat: String?

    @Option(
        name: .customLong("field"),
        help:
            "A JSON-lines field's key, as FIELD=KEY (repeatable): method, path, status, level, error, error_type, message, correlation, time; KEY may be dotted (res.statusCode)."
    )
    var fields: [String] = []

    @Option(
        name: .customLong("mask"),
        help: "Another header, query parameter or JSON member name to treat as secret (repeatable)."
    )
    var masked: [String] = []

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one log or recording file") }
    }

    func run() throws {
        let fragment: IncidentFragment
        do {
            var reader = RecordingReader(format: format)
            if let logFormat { reader.accessLogFormat = try AccessLogFormat.parse(logFormat) }
            for field in fields {
                guard let equals = field.firstIndex(of: "="), equals != field.startIndex,
                    field.index(after: equals) != field.endIndex
                else {
                    throw CommandOutcome.error(
                        "taas: --field \(field): expected FIELD=KEY, such as status=res.statusCode"
                    )
                }
                try reader.fieldMapping.set(String(field[..<equals]), to: String(field[field.index(after: equals)...]))
            }
            let scenario = IncidentScenario(
                baseURL: try LoopbackBaseURL(baseURL),
                secrets: SecretPolicy(extraNames: Set(masked))
            )
            fragment = try IncidentFragment.make(files: files, reader: reader, scenario: scenario)
        } catch let error as RecordingError {
            throw CommandOutcome.error("taas: \(error)")
        } catch let error as IncidentError {
            throw CommandOutcome.error("taas: \(error)")
        }
        let data = fragment.data
        if let output {
            do {
                try data.write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw CommandOutcome.error("taas: cannot write \(output): \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(data)
        }
        let requests = fragment.inputs.map(\.requests).reduce(0, +)
        let read = "\(requests) request\(requests == 1 ? "" : "s") in \(files.count) file\(files.count == 1 ? "" : "s")"
        var summary: [String] = []
        if fragment.incidents.isEmpty {
            summary.append("no incident found in \(read); the fragment has no scenario")
        } else {
            let occurrences = fragment.incidents.map(\.count).reduce(0, +)
            summary.append(
                "\(fragment.incidents.count) incident class\(fragment.incidents.count == 1 ? "" : "es") (\(occurrences) failed request\(occurrences == 1 ? "" : "s")) in \(read):"
            )
            for incident in fragment.incidents {
                summary.append(
                    "  \(incident.id)  \(incident.method) \(incident.route)  \(incident.signature)  ×\(incident.count)"
                )
            }
        }
        if let output {
            summary.append("wrote \(output); add it to a scope with: taas scope merge SCOPE \(output)")
        }
        FileHandle.standardError.write(Data((summary.joined(separator: "\n") + "\n").utf8))
    }
}
