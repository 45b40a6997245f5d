public import Logging
public import ServiceLifecycle

/// A bounded pool of PostgreSQL connections with an async API.
///
/// Statements never block a thread (``PostgresReactor``); the blocking libpq calls
/// (connecting, validating, migration scripts, cancelling) run on the pool's own threads
/// (see docs/adr/004 and 024). Callers wait at
/// most `acquireTimeout` for a connection and then get 503 `database_unavailable`; idle
/// connections are validated before reuse; broken ones are dropped and replaced, with
/// capped exponential backoff between failed connection attempts. Run the pool as a
/// `Service` (pass it to `makeApplication(services:)`) to keep `minConnections` open and
/// close everything at shutdown.
public final class PostgresPool: Service, Sendable {
    public let configuration: PostgresConfiguration
    let logger: Logger
    let metrics: PostgresQueryMetrics
    let connections: ConnectionPool<PostgresConnection>

    public init(configuration: PostgresConfiguration, metrics: MetricsRegistry, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.metrics = PostgresQueryMetrics(registry: metrics)
        let limit = configuration.acquireTimeout
        self.connections = ConnectionPool(
            settings: ConnectionPoolSettings(
                minConnections: configuration.minConnections,
                maxConnections: configuration.maxConnections,
                acquireTimeout: configuration.acquireTimeout,
                idleValidationInterval: configuration.idleValidationInterval
            ),
            metrics: ConnectionPoolMetrics(registry: metrics, prefix: "db_pool", what: "database"),
            logger: logger.with(metadataKey: "database", value: .string(configuration.redactedURL)),
            connect: { try PostgresConnection.connect(configuration) },
            validate: { try $0.executeScript("SELECT 1") },
            failure: { reason in
                switch reason {
                case .exhausted: PostgresError(.poolExhausted, message: "no database connection became free within \(limit)")
                case .closed: PostgresError(.poolClosed, message: "the pool has been shut down")
                case .backedOff: PostgresError(.connectionFailed, message: "database unreachable; the next connection attempt is backed off")
                }
            }
        )
    }

    var executor: BlockingCallPool { connections.executor }

    /// Ask the server to cancel what `connection` runs now; PQcancel opens a connection of
    /// its own and blocks, so on the pool's threads.
    func cancel(_ connection: PostgresConnection) async {
        _ = try? await executor.run { connection.requestCancel() }
    }

    /// Run one statement on a pooled connection.
    ///
    /// - Parameter timeout: client-side limit for this statement; past it the query is
    ///   cancelled on the server and ``PostgresError/Kind/queryTimeout`` is thrown.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = [], timeout: Duration? = nil) async throws -> PostgresQueryResult {
        try await withConnection { try await $0.query(sql, parameters, timeout: timeout) }
    }

    /// Borrow a connection for several statements; it is returned when `body` ends.
    public func withConnection<Value: Sendable>(_ body: (PostgresSession) async throws -> Value) async throws -> Value {
        try await connections.withConnection { try await body(PostgresSession(connection: $0, pool: self)) }
    }

    /// Keep `minConnections` open until shutdown, then close every connection.
    public func run() async throws {
        logger.info("database pool starting", metadata: ["database": "\(configuration.redactedURL)", "max": "\(configuration.maxConnections)"])
        await connections.runUntilShutdown()
        logger.info("database pool closed")
    }

    /// Close the pool: idle connections now, borrowed ones when they come back.
    public func close() async {
        await connections.close()
        logger.info("database pool closed")
    }
}

extension Logger {
    /// A copy with one more metadata entry.
    func with(metadataKey key: String, value: Logger.MetadataValue) -> Logger {
        var logger = self
        logger[metadataKey: key] = value
        return logger
    }
}
