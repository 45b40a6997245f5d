import Logging
import Prometheus
import Synchronization

/// A borrowed connection, valid inside `withConnection` / `withTransaction`.
public struct PostgresSession: Sendable {
    let connection: PostgresConnection
    let pool: PostgresPool
    /// Work to do once the session's transaction commits (nil outside a transaction).
    var commitActions: CommitActions? = nil
    /// The transaction's `BEGIN`, until it goes out in one round trip with the first
    /// statement (nil outside a transaction).
    var pendingBegin: PendingBegin? = nil

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
        let begin = pendingBegin?.take()
        return try await run(timeout: timeout) { connection throws(PostgresError) in
            guard let begin else { return try await connection.execute(sql, bound) }
            let results = try await connection.executePipeline([(begin, []), (sql, bound)], segments: .together)
            _ = try results[0].get()
            return try results[1].get()
        }
    }

    /// Run independent statements in one round trip (libpq pipeline mode), in order: each
    /// statement's rows or its own error. Outside a transaction each statement commits on its
    /// own and an error fails only its statement; inside one, an error aborts the transaction
    /// (as it would one statement at a time). Throws when the connection fails, a parameter
    /// holds a NUL (nothing is sent), or the task is cancelled or `timeout` passes (the
    /// statements are cancelled on the server).
    public func pipeline(_ statements: [PostgresStatement], timeout: Duration? = nil) async throws -> [Result<PostgresQueryResult, PostgresError>] {
        let begin = pendingBegin?.take()
        let bound = (begin.map { [(sql: $0, parameters: [PostgresParameter]())] } ?? [])
            + statements.map { (sql: $0.sql, parameters: $0.parameters.map(\.postgresParameter)) }
        let begins = begin != nil
        let results = try await run(timeout: timeout) { connection throws(PostgresError) in
            let results = try await connection.executePipeline(bound, segments: .eachStatement)
            // A statement cancelled by the deadline or the task fails the pipeline as one query would.
            for case .failure(let error) in results where error.sqlState == PostgresError.SQLState.queryCanceled { throw error }
            return results
        }
        guard begins else { return results }
        _ = try results[0].get()
        return Array(results.dropFirst())
    }

    /// Run `work` on the connection. Cancelling the calling task, or passing `timeout`,
    /// cancels what runs on the server (PQcancel) instead of leaving it running; a task
    /// cancelled before the statement is sent sends nothing (a cancelled transaction's later
    /// statements, its COMMIT included, never reach the server).
    private func run<Value: Sendable>(
        timeout: Duration?, _ work: (PostgresConnection) async throws(PostgresError) -> Value
    ) async throws -> Value {
        try Task.checkCancellation()
        let connection = self.connection
        let started = ContinuousClock.now
        let timedOut = TimeoutFlag()
        let timer = timeout.map { limit in
            Task {
                try await Task.sleep(for: limit)
                timedOut.set()
                await pool.cancel(connection)
            }
        }
        defer { timer?.cancel() }
        do {
            let result = try await withTaskCancellationHandler {
                try await work(connection)
            } onCancel: { [pool] in
                Task { await pool.cancel(connection) }
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

/// One statement of a ``PostgresSession/pipeline(_:timeout:)``: SQL with `$n` parameters.
public struct PostgresStatement: Sendable {
    public var sql: String
    public var parameters: [any PostgresEncodable]

    public init(_ sql: String, _ parameters: [any PostgresEncodable] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}

/// A transaction's `BEGIN`, held until its first statement takes it.
final class PendingBegin: Sendable {
    private let statement: Mutex<String?>

    init(_ statement: String) {
        self.statement = Mutex(statement)
    }

    /// The `BEGIN` to send now, once; nil after that.
    func take() -> String? { statement.withLock { $0.take() } }

    /// Whether no statement has run in the transaction yet.
    var isPending: Bool { statement.withLock { $0 != nil } }
}

extension PostgresSession {
    /// Run a multi-statement script (simple-query protocol, no parameters): for migrations.
    func executeScript(_ sql: String) async throws {
        let connection = self.connection
        let begin = pendingBegin?.take()
        try await withTaskCancellationHandler {
            try await pool.executor.run {
                if let begin { try connection.executeScript(begin) }
                try connection.executeScript(sql)
            }
        } onCancel: { [pool] in
            Task { await pool.cancel(connection) }
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
            let begin = PendingBegin("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
            session.pendingBegin = begin
            let value: Value
            do {
                value = try await body(session)
            } catch {
                if !begin.isPending { await rollback(session) }
                throw error
            }
            // A transaction that ran no statement has nothing to commit (its BEGIN never went out).
            if !begin.isPending {
                do {
                    try await session.query("COMMIT")
                } catch {
                    await rollback(session)
                    throw error
                }
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
