import Logging
import Prometheus
import Synchronization

/// A borrowed connection, valid inside `withConnection` / `withTransaction`.
public struct PostgresSession: Sendable {
    let connection: PostgresConnection
    let pool: PostgresPool
    /// Work to do once the session's transaction commits (nil outside a transaction).
    var commitActions: CommitActions? = nil

    /// Run `action` once the current transaction has committed (dropping a cache entry
    /// computed from what it wrote, say: dropped before the commit, a reader could cache the
    /// old rows again). Nothing runs if the transaction rolls back. Outside a transaction the
    /// statements are already committed, so `action` runs at once.
    public func afterCommit(_ action: @escaping @Sendable () async -> Void) async {
        guard let commitActions else { return await action() }
        commitActions.append(action)
    }

    /// Run one statement. Cancelling the calling task, or passing `timeout`, cancels the
    /// statement on the server (PQcancel) instead of leaving it running.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = [], timeout: Duration? = nil) async throws -> PostgresQueryResult {
        let bound = parameters.map(\.postgresParameter)
        let connection = self.connection
        let started = ContinuousClock.now
        let timedOut = TimeoutFlag()
        let timer = timeout.map { limit in
            Task {
                try await Task.sleep(for: limit)
                timedOut.set()
                connection.requestCancel()
            }
        }
        defer { timer?.cancel() }
        do {
            let result = try await withTaskCancellationHandler {
                try await pool.executor.run { try connection.execute(sql, bound) }
            } onCancel: {
                connection.requestCancel()
            }
            pool.metrics.recordQuery(ok: true, elapsed: .now - started)
            return result
        } catch let error as PostgresError where error.sqlState == PostgresError.SQLState.queryCanceled {
            pool.metrics.recordQuery(ok: false, elapsed: .now - started)
            if Task.isCancelled && !timedOut.isSet {
                throw PostgresError(.cancelled, message: "query cancelled with its task", sqlState: error.sqlState)
            }
            // Our own deadline, or the server's statement_timeout.
            let limit = timedOut.isSet ? "after \(timeout!)" : "by the server's statement_timeout"
            throw PostgresError(.queryTimeout, message: "query cancelled \(limit)", sqlState: error.sqlState)
        } catch {
            pool.metrics.recordQuery(ok: false, elapsed: .now - started)
            throw error
        }
    }
}

extension PostgresSession {
    /// Run a multi-statement script (simple-query protocol, no parameters): for migrations.
    func executeScript(_ sql: String) async throws {
        let connection = self.connection
        try await withTaskCancellationHandler {
            try await pool.executor.run { try connection.executeScript(sql) }
        } onCancel: {
            connection.requestCancel()
        }
    }
}

/// Transaction isolation levels.
public enum PostgresIsolationLevel: String, Sendable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension PostgresPool {
    /// Run `body` in a transaction: committed when it returns, rolled back when it throws
    /// or its task is cancelled.
    public func withTransaction<Value: Sendable>(
        isolation: PostgresIsolationLevel = .readCommitted,
        _ body: (PostgresSession) async throws -> Value
    ) async throws -> Value {
        try await withConnection { connection in
            var session = connection
            session.commitActions = CommitActions()
            try await session.query("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
            let value: Value
            do {
                value = try await body(session)
            } catch {
                await rollback(session)
                throw error
            }
            do {
                try await session.query("COMMIT")
            } catch {
                await rollback(session)
                throw error
            }
            await session.commitActions?.runAll()
            return value
        }
    }

    /// ``withTransaction(isolation:_:)``, retried from the start when PostgreSQL reports a
    /// serialization failure or deadlock, up to `maxAttempts` times in all.
    public func withRetryingTransaction<Value: Sendable>(
        isolation: PostgresIsolationLevel = .serializable,
        maxAttempts: Int = 3,
        _ body: (PostgresSession) async throws -> Value
    ) async throws -> Value {
        var attempt = 1
        while true {
            do {
                return try await withTransaction(isolation: isolation, body)
            } catch let error as PostgresError where error.isRetryableTransactionFailure && attempt < maxAttempts {
                metrics.transactionRetries.increment()
                logger.debug("retrying transaction", metadata: ["attempt": "\(attempt)", "sqlstate": "\(error.sqlState ?? "")"])
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...(20 * attempt))))
                attempt += 1
            }
        }
    }

    /// Roll back even when the task is cancelled (a fresh task is not); if that fails the
    /// connection is left mid-transaction and the pool drops it on release.
    private func rollback(_ session: PostgresSession) async {
        _ = try? await Task { try await session.query("ROLLBACK") }.value
    }
}

/// The actions a transaction runs after it commits, in the order they were added.
final class CommitActions: Sendable {
    private let actions = Mutex<[@Sendable () async -> Void]>([])

    func append(_ action: @escaping @Sendable () async -> Void) {
        actions.withLock { $0.append(action) }
    }

    func runAll() async {
        for action in actions.withLock({ $0 }) { await action() }
    }
}

/// Set once by a query's timer when it cancels the query for running too long.
private final class TimeoutFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}
