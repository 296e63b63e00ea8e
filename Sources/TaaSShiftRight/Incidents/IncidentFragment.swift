import Foundation
import TaaSCore

/// What `taas incidents` writes: the regression scenarios of the incident classes found, and the
/// classes themselves with their provenance, for `taas scope merge`.
///
/// ```json
/// {"fragment": "taas-incidents/1", "base_url": "http://127.0.0.1:8080",
///  "inputs": [{"file": "access.log", "format": "access-log", "requests": 4}],
///  "scenarios": [{"id": "INC-3f2a9c1b", "type": "regression", "description": "…", "http": {…}}],
///  "incidents": [{"id": "INC-3f2a9c1b", "method": "GET", "route": "/reports/{id}", "signature": "5xx",
///                 "count": 2, "first_seen": "…", "last_seen": "…", "sources": [{"file": "access.log", "line": 2}]}]}
/// ```
public struct IncidentFragment: Sendable {
    /// The value of the fragment's `fragment` member.
    public static let version = "taas-incidents/1"
    /// The most sources listed per incident (the count says how many there were).
    public static let maximumSources = 50

    /// One input file: its name, its format, and how many requests were read from it.
    public struct Input: Sendable, Equatable {
        public var file: String
        public var format: RecordingFormat
        public var requests: Int

        public init(file: String, format: RecordingFormat, requests: Int) {
            self.file = file
            self.format = format
            self.requests = requests
        }
    }

    public var inputs: [Input]
    public var incidents: [Incident]
    /// The scenarios, one per incident, in the same order.
    public var scenarios: [JSONValue]
    public var baseURL: LoopbackBaseURL
    /// Every secret value seen in the inputs: none of them may appear in the fragment.
    var secretValues: Set<String>

    /// Reads the files, finds the incidents and makes their scenarios.
    /// - Throws: ``RecordingError`` for the first file that cannot be read.
    public static func make(
        files: [String],
        reader: RecordingReader = RecordingReader(),
        scenario: IncidentScenario = IncidentScenario()
    ) throws(RecordingError) -> IncidentFragment {
        var inputs: [Input] = []
        var exchanges: [RecordedExchange] = []
        for file in files {
            let read = try reader.read(file)
            inputs.append(Input(file: file, format: read.format, requests: read.exchanges.count))
            exchanges += read.exchanges
        }
        let incidents = IncidentDetector.incidents(in: exchanges)
        var secrets: Set<String> = []
        for exchange in exchanges { secrets.formUnion(scenario.secrets.secretValues(in: exchange)) }
        return IncidentFragment(
            inputs: inputs,
            incidents: incidents,
            scenarios: incidents.map(scenario.json(for:)),
            baseURL: scenario.baseURL,
            secretValues: secrets
        )
    }

    /// The fragment document, with every secret value seen in the inputs replaced by `***`.
    public var json: JSONValue {
        let document: JSONValue = .object([
            JSONMember(key: "fragment", value: .string(Self.version)),
            JSONMember(key: "generated_by", value: .string("taas incidents")),
            JSONMember(key: "base_url", value: .string(baseURL.description)),
            JSONMember(
                key: "inputs",
                value: .array(
                    inputs.map { input in
                        .object([
                            JSONMember(key: "file", value: .string(input.file)),
                            JSONMember(key: "format", value: .string(input.format.rawValue)),
                            JSONMember(key: "requests", value: Self.number(input.requests)),
                        ])
                    }
                )
            ),
            JSONMember(key: "scenarios", value: .array(scenarios)),
            JSONMember(key: "incidents", value: .array(incidents.map(Self.json))),
        ])
        return SecretPolicy.scrubbing(document, of: secretValues)
    }

    /// The fragment's text: indented JSON ending with a newline.
    public var data: Data { PrettyJSON.data(json) }

    private static func json(_ incident: Incident) -> JSONValue {
        var members = [
            JSONMember(key: "id", value: .string(incident.id)),
            JSONMember(key: "method", value: .string(incident.method)),
            JSONMember(key: "route", value: .string(incident.route)),
            JSONMember(key: "signature", value: .string(incident.signature)),
            JSONMember(key: "count", value: number(incident.count)),
            JSONMember(key: "first_seen", value: incident.firstSeen.map { .string(RecordingDates.text($0)) } ?? .null),
            JSONMember(key: "last_seen", value: incident.lastSeen.map { .string(RecordingDates.text($0)) } ?? .null),
        ]
        if let error = incident.example.error {
            members.append(JSONMember(key: "error", value: .string(String(error.prefix(500)))))
        }
        members.append(
            JSONMember(
                key: "sources",
                value: .array(
                    incident.sources.prefix(maximumSources).map { source in
                        .object([
                            JSONMember(key: "file", value: .string(source.file)),
                            JSONMember(key: source.unit, value: number(source.position)),
                        ])
                    }
                )
            )
        )
        return .object(members)
    }

    private static func number(_ value: Int) -> JSONValue { .number(JSONNumber(String(value))) }
}
