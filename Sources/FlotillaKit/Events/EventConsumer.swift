import Prometheus
public import Logging
public import ServiceLifecycle
import Synchronization

/// Consumes other services' event streams as one consumer group (the consuming service's
/// name), one consumer per replica (`EVENTS_CONSUMER_NAME`): a lifecycle `Service` made by
/// ``DataService/consumeEvents(from:handlers:)``.
///
/// Each entry's handler runs in a PostgreSQL transaction that also records the event as
/// processed, so a redelivered event is skipped; the entry is acknowledged after the commit.
/// The events of one lane of a read batch share that transaction (one aggregate's in order;
/// when it fails, each is handled alone, so a failing event holds back only itself).
/// A handler that throws leaves the entry pending: it is redelivered once idle for
/// `EVENTS_CLAIM_IDLE_SECONDS` (entries of a consumer that died are reclaimed the same way),
/// and after `EVENTS_MAX_DELIVERIES` deliveries it moves to `dead:<group>` with the error.
/// Once a minute it forgets events handled longer than `EVENTS_PROCESSED_RETENTION_HOURS` ago.
public final class EventConsumer: Service, Sendable {
    let group: ConsumerGroup
    let handlers: EventHandlers
    let pool: PostgresPool
    private let connection: RedisDedicatedConnection
    let settings: EventBusConfiguration
    let metrics: EventMetrics
    let logger: Logger
    /// The last lag read per stream, and the last failure (for `/health`).
    let observedLag = Mutex<[String: Int?]>([:])
    let lastFailure = Mutex<String?>(nil)

    init(group: ConsumerGroup, handlers: EventHandlers, pool: PostgresPool, redis: RedisConfiguration,
         settings: EventBusConfiguration, metrics: EventMetrics, logger: Logger) {
        self.group = group
        self.handlers = handlers
        self.pool = pool
        self.connection = RedisDedicatedConnection(configuration: redis)
        self.settings = settings
        self.metrics = metrics
        self.logger = logger.with(metadataKey: "component", value: "event-consumer")
        // Zero series from the start, so dashboards and alerts see 0 rather than nothing.
        for stream in group.streams { _ = metrics.deadLettered(stream, group.name) }
    }

    /// The streams consumed.
    public var streams: [String] { group.streams }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown { await self.consumeUntilCancelled() }
        await connection.close()
    }

    private func consumeUntilCancelled() async {
        var failures = 0
        var groupsReady = false
        var lastReclaim = ContinuousClock.Instant.now
        var lastLag = ContinuousClock.Instant.now - .seconds(60)
        var lastPrune = ContinuousClock.Instant.now - .seconds(3600)
        while !Task.isCancelled {
            do {
                if !groupsReady {
                    try await group.create(from: settings.startFrom)
                    groupsReady = true
                }
                if ContinuousClock.now - lastLag >= .seconds(5) {
                    lastLag = .now
                    await refreshLag()
                }
                if ContinuousClock.now - lastPrune >= .seconds(60) {
                    lastPrune = .now
                    let pruned = try await pool.pruneProcessedEvents(of: group.streams, olderThan: settings.processedRetention)
                    if pruned > 0 { logger.debug("processed events past the retention forgotten", metadata: ["rows": "\(pruned)"]) }
                }
                var deliveries = [ConsumerGroup.Delivery]()
                if ContinuousClock.now - lastReclaim >= settings.claimIdleTime / 2 {
                    lastReclaim = .now
                    deliveries = try await group.reclaim(minIdle: settings.claimIdleTime, count: settings.consumerBatchSize)
                }
                if deliveries.isEmpty {
                    deliveries = try await group.read(count: settings.consumerBatchSize, block: min(settings.readBlock, settings.claimIdleTime / 2), on: connection)
                }
                try await handle(deliveries)
                failures = 0
                lastFailure.withLock { $0 = nil }
            } catch {
                if Task.isCancelled { break }
                failures += 1
                // A group deleted under us (or a stream flushed): create it again.
                if let error = error as? RedisError, error.code == "NOGROUP" { groupsReady = false }
                lastFailure.withLock { $0 = "\(error)" }
                logger.warning("events not consumed; retrying", metadata: ["error.description": "\(error)", "attempt": "\(failures)"])
                try? await Task.sleep(for: OutboxRelay.backoff(afterFailures: failures))
            }
        }
    }

    private func refreshLag() async {
        guard let lags = try? await group.lag() else { return }
        observedLag.withLock { $0 = lags }
        for (stream, lag) in lags {
            if let lag { metrics.lag(stream, group.name).set(Double(lag)) }
        }
    }
}
