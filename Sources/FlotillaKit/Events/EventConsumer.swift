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
/// A handler that throws leaves the entry pending: it is redelivered once idle for
/// `EVENTS_CLAIM_IDLE_SECONDS` (entries of a consumer that died are reclaimed the same way),
/// and after `EVENTS_MAX_DELIVERIES` deliveries it moves to `dead:<group>` with the error.
public final class EventConsumer: Service, Sendable {
    private let group: ConsumerGroup
    private let handlers: EventHandlers
    private let pool: PostgresPool
    private let connection: RedisDedicatedConnection
    private let settings: EventBusConfiguration
    private let metrics: EventMetrics
    private let logger: Logger
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
                var deliveries = [ConsumerGroup.Delivery]()
                if ContinuousClock.now - lastReclaim >= settings.claimIdleTime / 2 {
                    lastReclaim = .now
                    deliveries = try await group.reclaim(minIdle: settings.claimIdleTime, count: 100)
                }
                if deliveries.isEmpty {
                    deliveries = try await group.read(count: 100, block: min(settings.readBlock, settings.claimIdleTime / 2), on: connection)
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

    /// Handle a batch: entries of one aggregate in order, different aggregates side by side in
    /// up to `EVENTS_CONSUMER_CONCURRENCY` lanes; then one `XACK` per stream for those done.
    private func handle(_ deliveries: [ConsumerGroup.Delivery]) async throws {
        guard !deliveries.isEmpty else { return }
        let decoded = deliveries.map { delivery in
            (delivery, delivery.entry.fields["event"].flatMap { try? EventEnvelope.decode($0) })
        }
        let lanes = Dictionary(grouping: decoded) { Self.lane(of: $0.1, count: settings.consumerConcurrency) }
        let done = try await withThrowingTaskGroup(of: [ConsumerGroup.Delivery].self) { tasks in
            for lane in lanes.values {
                tasks.addTask {
                    var done = [ConsumerGroup.Delivery]()
                    for (delivery, envelope) in lane where !Task.isCancelled {
                        if try await self.process(delivery, envelope) { done.append(delivery) }
                    }
                    return done
                }
            }
            return try await tasks.reduce(into: []) { $0 += $1 }
        }
        try await group.acknowledge(done)
    }

    /// Events of one aggregate share a lane (entries that are no envelope share lane 0).
    static func lane(of envelope: EventEnvelope?, count: Int) -> Int {
        guard count > 1, let envelope else { return 0 }
        var hasher = Hasher()
        hasher.combine(envelope.aggregate.type)
        hasher.combine(envelope.aggregate.id)
        return abs(hasher.finalize() % count)
    }

    /// Handle one delivery: run its handler once (deduplicated); true when it is done (handled,
    /// a duplicate, not for us, or dead-lettered) and may be acknowledged, false to leave it
    /// pending for a redelivery.
    private func process(_ delivery: ConsumerGroup.Delivery, _ envelope: EventEnvelope?) async throws -> Bool {
        guard let envelope else {
            metrics.consumed("unknown", "dead_lettered").increment()
            metrics.deadLettered(delivery.stream, group.name).increment()
            logger.error("stream entry is not an event envelope: dead-lettered", metadata: ["stream": "\(delivery.stream)", "entry_id": "\(delivery.entry.id)"])
            try await group.deadLetter(delivery, error: "not an event envelope")
            return true
        }
        guard let handler = handlers.byType[envelope.type] else {
            metrics.consumed(envelope.type, "ignored").increment()
            return true
        }
        return try await RequestCorrelation.$current.withValue(envelope.correlation) {
            let metadata: Logger.Metadata = [
                "event.id": "\(envelope.id)", "event.type": "\(envelope.type)", "stream": "\(delivery.stream)", "deliveries": "\(delivery.deliveries)",
            ]
            let started = ContinuousClock.now
            do {
                let fresh = try await pool.withTransaction { session in
                    guard try await session.markProcessed(envelope, stream: delivery.stream, entryID: delivery.entry.id) else { return false }
                    try await handler(envelope, session)
                    return true
                }
                metrics.handlerDuration(envelope.type).record(ContinuousClock.now - started)
                metrics.consumed(envelope.type, fresh ? "handled" : "duplicate").increment()
                logger.info(fresh ? "event handled" : "duplicate event skipped", metadata: metadata)
                return true
            } catch {
                if delivery.deliveries >= settings.maxDeliveries {
                    metrics.consumed(envelope.type, "dead_lettered").increment()
                    metrics.deadLettered(delivery.stream, group.name).increment()
                    logger.error("event failed on its last delivery: dead-lettered", metadata: metadata.merging(["error.description": "\(error)"]) { $1 })
                    try await group.deadLetter(delivery, error: "\(error)")
                    return true
                }
                metrics.consumed(envelope.type, "failed").increment()
                logger.warning("event handler failed; it will be redelivered", metadata: metadata.merging(["error.description": "\(error)"]) { $1 })
                return false
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
