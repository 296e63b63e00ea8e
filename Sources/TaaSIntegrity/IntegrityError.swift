/// A lock, key, signature or cache operation that could not be done; the message says what to do.
public struct IntegrityError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
