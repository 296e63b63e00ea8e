import Foundation
import PostgresNIO
import Synchronization
import _ConnectionPoolModule

/// How the store rides out a PostgreSQL restart: a call that meets a lost or refused connection is
/// tried again after a growing pause (0.1 s doubling to 2 s) until `budget` has passed. Any other
/// error (a constraint, a syntax error, a refused password) is thrown at once.
struct PostgresRetry: Sendable {
    /// How long a call keeps trying.
    var budget: Duration = .seconds(60)
    var firstPause: Duration = .milliseconds(100)
    var longestPause: Duration = .seconds(2)
    /// Told once per outage, when a call first has to wait (standard error in `taas serve`).
    var onOutage: @Sendable (String) -> Void = { _ in }

    /// Runs `operation` until it succeeds, throws an error that is not about the connection, or
    /// the budget is spent (then its last error is thrown).
    func run<T>(_ operation: () async throws -> T) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + budget
        var pause = firstPause
        var told = false
        while true {
            do {
                return try await operation()
            } catch  where Self.isConnectionProblem(error) && clock.now + pause < deadline {
                if !told {
                    onOutage("PostgreSQL is unreachable (\(Self.describe(error))); trying again for up to \(budget)")
                    told = true
                }
                try await Task.sleep(for: pause)
                pause = min(pause * 2, longestPause)
            }
        }
    }

    /// No answer from PostgreSQL within the deadline.
    struct TimedOut: Error, CustomStringConvertible {
        var after: Duration
        var description: String { "no connection within \(after)" }
    }

    /// A pooled connection found closed before use (PostgreSQL went away since it was pooled).
    struct ConnectionLost: Error, CustomStringConvertible {
        var description: String { "the connection was closed" }
    }

    /// The state ``abandoning(after:_:)`` shares between the caller, its work and its timer: the
    /// caller's continuation is resumed once, by whichever ends first.
    private final class Race<T: Sendable>: Sendable {
        let waiter = Mutex<CheckedContinuation<T, any Error>?>(nil)
        let tasks = Mutex<(work: Task<Void, Never>?, timer: Task<Void, Never>?)>((nil, nil))
    }

    /// How long one attempt may take before it is given up and tried again on another connection.
    static let attemptLimit: Duration = .seconds(20)

    /// Runs `operation` in a task of its own and stops waiting for it after `limit` (it is then
    /// cancelled and left behind). A query written to a connection that PostgreSQL closed a moment
    /// before can wait forever in postgres-nio 1.33 (seen while PostgreSQL restarted); this turns
    /// that wait into a ``TimedOut``, which ``run(_:)`` tries again.
    static func abandoning<T: Sendable>(
        after limit: Duration = attemptLimit,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.waiter.withLock { $0 = continuation }
                let timer = Task {
                    try? await Task.sleep(for: limit)
                    guard !Task.isCancelled, let continuation = race.waiter.withLock({ $0.take() }) else { return }
                    race.tasks.withLock { $0.work }?.cancel()
                    continuation.resume(throwing: TimedOut(after: limit))
                }
                let work = Task {
                    let result: Result<T, any Error>
                    do { result = .success(try await operation()) } catch { result = .failure(error) }
                    race.waiter.withLock { $0.take() }?.resume(with: result)
                    race.tasks.withLock { $0.timer }?.cancel()
                }
                race.tasks.withLock { $0 = (work, timer) }
            }
        } onCancel: {
            race.tasks.withLock { $0.work }?.cancel()
        }
    }

    /// Whether `error` says the connection was lost or could not be made, rather than that the
    /// statement was refused: worth trying again once PostgreSQL is back.
    static func isConnectionProblem(_ error: any Error) -> Bool {
        if error is TimedOut || error is ConnectionLost { return true }
        if let transaction = error as? PostgresTransactionError {
            return [transaction.beginError, transaction.closureError, transaction.commitError]
                .contains { $0.map(isConnectionProblem) ?? false }
        }
        if let pool = error as? ConnectionPoolError {
            return pool == .connectionCreationCircuitBreakerTripped
        }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection:
            return true
        case .server:
            // 08: connection exception; 57: operator intervention (57P01 admin shutdown, 57P03
            // "the database system is starting up").
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57")
        default:
            return false
        }
    }

    /// A one-line account of a postgres-nio error (its `description` hides the server's message).
    static func describe(_ error: any Error) -> String {
        if let transaction = error as? PostgresTransactionError,
            let inner = transaction.beginError ?? transaction.closureError ?? transaction.commitError
        {
            return describe(inner)
        }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}
