/// One difference between a recorded answer and its replay, at one place: `$.price: recorded 12.5,
/// got 13.0`, `status: recorded 200, got 500`, `$.items: missing`.
public struct ReplayMismatch: Sendable, Equatable, Codable, CustomStringConvertible {
    /// What kind of difference it is.
    public enum Kind: String, Sendable, Codable {
        /// The same kind of value, another value.
        case changed
        /// Recorded, but absent from the replay.
        case missing
        /// In the replay, but not in the recording.
        case unexpected
        /// Another kind of value (a string where a number was).
        case type
        /// Another status code.
        case status
        /// Another value of a compared header.
        case header
        /// A body that is not JSON (or no longer is) differs.
        case body
    }

    /// `status`, `header Content-Type`, `body`, or a JSON path such as `$.items[0].price`.
    public var path: String
    public var kind: Kind
    /// The recorded value, shown as JSON (strings quoted), when there is one.
    public var recorded: String?
    /// The replayed value, shown the same way, when there is one.
    public var got: String?

    /// A difference at `path`.
    public init(path: String, kind: Kind, recorded: String?, got: String?) {
        self.path = path
        self.kind = kind
        self.recorded = recorded
        self.got = got
    }

    /// The line shown in the report: `$.price: recorded 12.5, got 13.0`.
    public var description: String {
        switch kind {
        case .missing: "\(path): missing (recorded \(recorded ?? "a value"))"
        case .unexpected: "\(path): not in the recording, got \(got ?? "a value")"
        default: "\(path): recorded \(recorded ?? "nothing"), got \(got ?? "nothing")"
        }
    }
}
