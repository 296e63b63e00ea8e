import Foundation

/// The Healer's reading of a failing report: `diagnosis.json`.
public struct Diagnosis: Sendable, Codable, Equatable {
    public static let currentVersion = 1
    public static let fileName = "diagnosis.json"

    public var diagnosisVersion: Int
    public var runID: String
    public var items: [Item]

    enum CodingKeys: String, CodingKey {
        case diagnosisVersion = "diagnosis_version"
        case runID = "run_id"
        case items
    }

    public init(runID: String, items: [Item]) {
        diagnosisVersion = Self.currentVersion
        self.runID = runID
        self.items = items
    }

    /// One failed or errored case (or scenario, when it has no cases), or one scenario that passed
    /// only on retry.
    public struct Item: Sendable, Codable, Equatable {
        public var scenarioID: String
        /// `tests/test_x.py::test_y` style, `nil` for a scenario without cases.
        public var caseID: String?
        public var failureClass: FailureClass
        /// 0.0–1.0: how strongly the evidence points at the class.
        public var confidence: Double
        public var summary: String
        public var evidence: [Evidence]

        enum CodingKeys: String, CodingKey {
            case scenarioID = "scenario_id"
            case caseID = "case"
            case failureClass = "class"
            case confidence, summary, evidence
        }

        public init(
            scenarioID: String,
            caseID: String?,
            failureClass: FailureClass,
            confidence: Double,
            summary: String,
            evidence: [Evidence]
        ) {
            self.scenarioID = scenarioID
            self.caseID = caseID
            self.failureClass = failureClass
            self.confidence = (confidence * 100).rounded() / 100
            self.summary = summary
            self.evidence = evidence
        }

        /// Writes `case` as `null` when there is none, as the format says.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(scenarioID, forKey: .scenarioID)
            try container.encode(caseID, forKey: .caseID)
            try container.encode(failureClass, forKey: .failureClass)
            try container.encode(confidence, forKey: .confidence)
            try container.encode(summary, forKey: .summary)
            try container.encode(evidence, forKey: .evidence)
        }
    }

    /// One fact an item rests on.
    public struct Evidence: Sendable, Codable, Equatable {
        /// `exception`, `frame`, `baseline_diff`, `git_diff`, `close_match`, `signature`, `retry`,
        /// `history`, `dependency`, `service`, `setup`, `run_error`, `timeout`, `no_baseline`, `timing`.
        public var kind: String
        public var detail: String
        public var path: String?
        public var line: Int?

        public init(kind: String, detail: String, path: String? = nil, line: Int? = nil) {
            self.kind = kind
            self.detail = detail
            self.path = path
            self.line = line
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(detail, forKey: .detail)
            try container.encode(path, forKey: .path)
            try container.encode(line, forKey: .line)
        }

        enum CodingKeys: String, CodingKey { case kind, detail, path, line }
    }

    /// The diagnosis as pretty JSON.
    public func jsonData() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        data.append(0x0A)
        return data
    }

    /// Reads a `diagnosis.json`.
    public static func read(from url: URL) throws(HealerError) -> Diagnosis {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw HealerError(.input, "cannot read the diagnosis \(url.path)")
        }
        do { return try JSONDecoder().decode(Diagnosis.self, from: data) } catch {
            throw HealerError(.input, "\(url.path) is not a diagnosis (\(error)); write one with `taas diagnose`")
        }
    }
}
