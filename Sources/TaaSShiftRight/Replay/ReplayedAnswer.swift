import Foundation

/// An answer as a replay got it from the service.
public struct ReplayedAnswer: Sendable, Equatable {
    public var status: Int
    public var headers: [HTTPField]
    public var body: Data

    /// An answer of `status`, `headers` and `body`.
    public init(status: Int, headers: [HTTPField] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the last header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.last { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
