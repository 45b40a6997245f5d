public import Logging
import Prometheus
public import ServiceLifecycle
import Synchronization

/// A bounded pool of PostgreSQL connections with an async API.
///
/// Every libpq call runs on the pool's own threads (``BlockingCallPool``). Callers wait at
/// most `acquireTimeout` for a connection and then get 503 `database_unavailable`; idle
/// connections are validated before reuse; broken ones are dropped and replaced, with
/// capped exponential backoff between failed connection attempts. Run the pool as a
/// `Service` (pass it to `makeApplication(services:)`) to keep `minConnections` open and
/// close everything at shutdown.
public final class PostgresPool: Service, Sendable {
    public let configuration: PostgresConfiguration
    let executor: BlockingCallPool
    let logger: Logger
    let metrics: PostgresPoolMetrics
    private let state: Mutex<PostgresPoolState>
    private let backoff = Mutex<(failures: Int, notBefore: ContinuousClock.Instant)>((0, .now))

    public init(configuration: PostgresConfiguration, metrics: MetricsRegistry, logger: Logger) {
        self.configuration = configuration
        self.executor = BlockingCallPool(threadCount: configuration.maxConnections)
        self.logger = logger
        self.metrics = PostgresPoolMetrics(registry: metrics)
        self.state = Mutex(PostgresPoolState(maxConnections: configuration.maxConnections))
    }

    // MARK: Queries

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
        let connection = try await acquire()
        let session = PostgresSession(connection: connection, pool: self)
        do {
            let value = try await body(session)
            release(connection)
            return value
        } catch {
            release(connection)
            throw error
        }
    }

    // MARK: Acquire and release

    func acquire() async throws -> PostgresConnection {
        let started = ContinuousClock.now
        defer { metrics.waitSeconds.record(ContinuousClock.now - started) }
        let deadline = started + configuration.acquireTimeout
        while true {
            let action = state.withLock { $0.acquire() }
            publishGauges()
            switch action {
            case .use(let connection):
                if try await isStillGood(connection) { return connection }
            case .connect:
                return try await connect(until: deadline)
            case .wait:
                return try await waitForRelease(until: deadline)
            case .fail(let error):
                throw error
            }
        }
    }

    func release(_ connection: PostgresConnection) {
        let action = state.withLock { $0.release(connection, reusable: connection.isReusable) }
        perform(action)
    }

    /// An idle connection is checked with `SELECT 1` if it sat unused for a while.
    private func isStillGood(_ connection: PostgresConnection) async throws -> Bool {
        guard ContinuousClock.now - connection.lastReleased > configuration.idleValidationInterval else { return true }
        let alive = (try? await executor.run { try connection.execute("SELECT 1", []) }) != nil
        if !alive {
            logger.info("dropping a dead idle database connection")
            perform(state.withLock { $0.connectionLost() })
        }
        return alive
    }

    private func connect(until deadline: ContinuousClock.Instant) async throws -> PostgresConnection {
        do {
            return try await openConnection(until: deadline)
        } catch {
            perform(state.withLock { $0.connectionLost() })
            publishGauges()
            throw error
        }
    }

    /// Open a connection, first waiting out any backoff from earlier failures.
    private func openConnection(until deadline: ContinuousClock.Instant) async throws -> PostgresConnection {
        let notBefore = backoff.withLock { $0.notBefore }
        if notBefore > .now {
            guard notBefore < deadline else {
                throw PostgresError(.connectionFailed, message: "database unreachable; next connection attempt is backed off")
            }
            try await Task.sleep(until: notBefore)
        }
        let configuration = self.configuration
        do {
            let connection = try await executor.run { try PostgresConnection.connect(configuration) }
            backoff.withLock { $0 = (0, .now) }
            return connection
        } catch {
            metrics.connectErrors.increment()
            let delay = backoff.withLock { backoff -> Duration in
                backoff.failures += 1
                let exponent = min(backoff.failures - 1, 16)
                let delay = min(configuration.reconnectBackoff.first * (1 << exponent), configuration.reconnectBackoff.cap)
                backoff.notBefore = .now + delay
                return delay
            }
            logger.warning(
                "database connection failed",
                metadata: ["database": "\(configuration.redactedURL)", "retry_in": "\(delay)", "error.description": "\(error)"]
            )
            throw error
        }
    }

    private func waitForRelease(until deadline: ContinuousClock.Instant) async throws -> PostgresConnection {
        let id = state.withLock { $0.makeWaiterID() }
        let timer = Task { [self] in
            try await Task.sleep(until: deadline)
            let waiter = state.withLock { $0.removeWaiter(id: id) }
            let limit = configuration.acquireTimeout
            waiter?.continuation.resume(throwing: PostgresError(.poolExhausted, message: "no database connection became free within \(limit)"))
            publishGauges()
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                state.withLock { $0.enqueue(.init(id: id, continuation: continuation)) }
                publishGauges()
            }
        } onCancel: {
            state.withLock { $0.removeWaiter(id: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    private func perform(_ action: PostgresPoolState.ReleaseAction) {
        switch action {
        case .none:
            break
        case .handOver(let connection, let waiter):
            waiter.continuation.resume(returning: connection)
        case .connect(let waiter):
            Task { [self] in
                do {
                    waiter.continuation.resume(returning: try await openConnection(until: .now + configuration.acquireTimeout))
                } catch {
                    perform(state.withLock { $0.connectionLost() })
                    waiter.continuation.resume(throwing: error)
                }
            }
        }
        publishGauges()
    }

    private func publishGauges() {
        let (idle, inUse, waiting) = state.withLock { ($0.idle.count, $0.inUse, $0.waiters.count) }
        metrics.publish(idle: idle, inUse: inUse, waiting: waiting)
    }

    // MARK: Service

    /// Keep `minConnections` open until shutdown, then close every connection.
    public func run() async throws {
        logger.info("database pool starting", metadata: ["database": "\(configuration.redactedURL)", "max": "\(configuration.maxConnections)"])
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                await warmUp()
                try? await Task.sleep(for: .seconds(1))
            }
        } onGracefulShutdown: {}
        await close()
    }

    private func warmUp() async {
        while state.withLock({ $0.reserveForWarmUp(target: configuration.minConnections) }) {
            do {
                let connection = try await openConnection(until: .now + configuration.acquireTimeout)
                perform(state.withLock { $0.add(connection) })
            } catch {
                perform(state.withLock { $0.connectionLost() })
                return
            }
        }
    }

    /// Close idle connections, fail waiters, and stop the threads; connections still
    /// borrowed are closed when they come back.
    public func close() async {
        let (idle, waiters) = state.withLock { $0.close() }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(.poolClosed, message: "the pool has been shut down"))
        }
        _ = idle  // closed (PQfinish) as they are released here
        publishGauges()
        await executor.shutdown()
        logger.info("database pool closed")
    }
}
