/// Where a run's wall time went, phase by phase: the report's `timing` (`taas run --verbose`
/// prints it). Phases may overlap (the workspace is copied while the sandbox starts), so they are
/// listed by start with their own durations, not as a sum.
public struct RunTiming: Sendable, Codable, Equatable {
    /// One phase of the run.
    public struct Phase: Sendable, Codable, Equatable {
        /// The phase's name, such as `sandbox_start` or `workspace_copy` (docs/reports.md lists them).
        public var name: String
        /// When it started, in milliseconds since ``RunTiming/origin``.
        public var startMS: Double
        /// How long it took, in milliseconds.
        public var durationMS: Double

        enum CodingKeys: String, CodingKey {
            case name
            case startMS = "start_ms"
            case durationMS = "duration_ms"
        }

        public init(name: String, startMS: Double, durationMS: Double) {
            self.name = name
            self.startMS = startMS
            self.durationMS = durationMS
        }

        /// When it ended, in milliseconds since the origin.
        public var endMS: Double { startMS + durationMS }
    }

    /// What the times count from: `process` (taas's own code began to run, before the command line
    /// was parsed) or `run` (the engine was handed the scope; a program embedding it).
    public var origin: String
    /// The phases, by start.
    public var phases: [Phase]

    public init(origin: String, phases: [Phase]) {
        self.origin = origin
        self.phases = phases
    }

    /// The phase named `name`, if the run had it.
    public func phase(_ name: String) -> Phase? { phases.first { $0.name == name } }
}
