import Logging
import Prometheus
import ServiceLifecycle
import Synchronization

/// A bounded pool of blocking C-library connections (libpq, hiredis) with an async API.
///
/// Callers wait at most `acquireTimeout` for a connection; idle connections are validated
/// before reuse; broken ones are dropped and replaced, with capped exponential backoff
/// between failed connection attempts. All blocking work (connect, validate) runs on
/// ``executor``. The library-specific pools wrap it and translate its failures.
final class ConnectionPool<Connection: PooledConnection>: Sendable {
    let settings: ConnectionPoolSettings
    let executor: BlockingCallPool
    private let logger: Logger
    private let metrics: ConnectionPoolMetrics
    private let connectOne: @Sendable () throws -> Connection
    private let validate: @Sendable (Connection) throws -> Void
    private let failure: @Sendable (ConnectionPoolFailure) -> any Error
    private let state: Mutex<ConnectionPoolState<Connection>>
    private let backoff = Mutex<(failures: Int, notBefore: ContinuousClock.Instant)>((0, .now))

    /// - Parameters:
    ///   - connect: opens one connection (blocking; runs on the executor).
    ///   - validate: checks an idle connection still works (blocking), throwing if not.
    ///   - failure: the library's error for a pool failure.
    init(
        settings: ConnectionPoolSettings,
        metrics: ConnectionPoolMetrics,
        logger: Logger,
        connect: @escaping @Sendable () throws -> Connection,
        validate: @escaping @Sendable (Connection) throws -> Void,
        failure: @escaping @Sendable (ConnectionPoolFailure) -> any Error
    ) {
        self.settings = settings
        self.executor = BlockingCallPool(threadCount: settings.maxConnections)
        self.logger = logger
        self.metrics = metrics
        self.connectOne = connect
        self.validate = validate
        self.failure = failure
        self.state = Mutex(ConnectionPoolState(maxConnections: settings.maxConnections))
    }

    /// Borrow a connection for `body`; it comes back to the pool when `body` ends.
    func withConnection<Value: Sendable>(_ body: (Connection) async throws -> Value) async throws -> Value {
        let connection = try await acquire()
        do {
            let value = try await body(connection)
            release(connection)
            return value
        } catch {
            release(connection)
            throw error
        }
    }

    func acquire() async throws -> Connection {
        let started = ContinuousClock.now
        defer { metrics.waitSeconds.record(ContinuousClock.now - started) }
        let deadline = started + settings.acquireTimeout
        while true {
            let action = state.withLock { $0.acquire() }
            publishGauges()
            switch action {
            case .use(let connection):
                if await isStillGood(connection) { return connection }
            case .connect:
                do {
                    return try await openConnection(until: deadline)
                } catch {
                    perform(state.withLock { $0.connectionLost() })
                    throw error
                }
            case .wait:
                return try await waitForRelease(until: deadline)
            case .fail(let reason):
                throw failure(reason)
            }
        }
    }

    func release(_ connection: Connection) {
        perform(state.withLock { $0.release(connection, reusable: connection.isReusable) })
    }

    /// Keep `minConnections` open until graceful shutdown (or cancellation), then close:
    /// the body of the library pools' `Service.run()`.
    func runUntilShutdown() async {
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                await warmUp()
                try? await Task.sleep(for: .milliseconds(250))
            }
        } onGracefulShutdown: {}
        await close()
    }

    /// Open connections until `minConnections` are open (or one attempt fails).
    func warmUp() async {
        while state.withLock({ $0.reserveForWarmUp(target: settings.minConnections) }) {
            do {
                let connection = try await openConnection(until: .now + settings.acquireTimeout)
                perform(state.withLock { $0.add(connection) })
            } catch {
                perform(state.withLock { $0.connectionLost() })
                return
            }
        }
    }

    /// Close idle connections, fail waiters and stop the threads; connections still
    /// borrowed are closed when they come back.
    func close() async {
        let (idle, waiters) = state.withLock { $0.close() }
        for waiter in waiters { waiter.continuation.resume(throwing: failure(.closed)) }
        _ = idle  // released here, which closes them
        publishGauges()
        await executor.shutdown()
    }

    private func isStillGood(_ connection: Connection) async -> Bool {
        guard ContinuousClock.now - connection.lastReleased > settings.idleValidationInterval else { return true }
        let validate = self.validate
        let alive = (try? await executor.run { try validate(connection) }) != nil
        if !alive {
            logger.info("dropping a dead idle connection")
            perform(state.withLock { $0.connectionLost() })
        }
        return alive
    }

    /// Open a connection, first waiting out any backoff from earlier failures.
    private func openConnection(until deadline: ContinuousClock.Instant) async throws -> Connection {
        let notBefore = backoff.withLock { $0.notBefore }
        if notBefore > .now {
            guard notBefore < deadline else { throw failure(.backedOff) }
            try await Task.sleep(until: notBefore)
        }
        do {
            let connection = try await executor.run(connectOne)
            backoff.withLock { $0 = (0, .now) }
            return connection
        } catch {
            metrics.connectErrors.increment()
            let settings = self.settings
            let delay = backoff.withLock { backoff -> Duration in
                backoff.failures += 1
                let delay = min(settings.backoffFirst * (1 << min(backoff.failures - 1, 16)), settings.backoffCap)
                backoff.notBefore = .now + delay
                return delay
            }
            logger.warning("connection attempt failed", metadata: ["retry_in": "\(delay)", "error.description": "\(error)"])
            throw error
        }
    }

    private func waitForRelease(until deadline: ContinuousClock.Instant) async throws -> Connection {
        let id = state.withLock { $0.makeWaiterID() }
        let started = ContinuousClock.now
        let timer = Task { [self] in
            try await Task.sleep(until: deadline)
            let waiter = state.withLock { $0.removeWaiter(id: id) }
            waiter?.continuation.resume(throwing: failure(.exhausted(waited: .now - started)))
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

    private func perform(_ action: ConnectionPoolState<Connection>.ReleaseAction) {
        switch action {
        case .none:
            break
        case .handOver(let connection, let waiter):
            waiter.continuation.resume(returning: connection)
        case .connect(let waiter):
            Task { [self] in
                do {
                    waiter.continuation.resume(returning: try await openConnection(until: .now + settings.acquireTimeout))
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
}
