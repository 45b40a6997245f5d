import Prometheus
public import Logging
public import ServiceLifecycle
import Synchronization

/// Publishes the service's outbox to its stream `events:<service>`: a lifecycle `Service`
/// every producing service runs (``DataService/publishEvents()``).
///
/// It wakes on the outbox's `NOTIFY` (sent at commit) or, failing that, every
/// `EVENTS_RELAY_POLL_SECONDS`; publishes committed rows in order, in batches, each `XADD`
/// trimmed to about `EVENTS_STREAM_MAXLEN` entries; and moves them to `published_events` in
/// the transaction that claimed them, vacuuming the outbox every `EVENTS_OUTBOX_VACUUM_ROWS`
/// rows. With Redis (or PostgreSQL) away the rows wait and the
/// relay backs off (up to 30 s); `/health` warns. Published events are pruned after the
/// retention.
/// Several replicas: one publishes at a time (docs/adr/016).
public final class OutboxRelay: Service, Sendable {
    private let store: OutboxStore
    private let redis: RedisClient
    private let database: PostgresConfiguration
    private let settings: EventBusConfiguration
    private let stream: String
    private let metrics: EventMetrics
    private let logger: Logger
    /// The last failure, until a publish succeeds (for `/health`).
    let lastFailure = Mutex<String?>(nil)
    /// When the pending gauges were last read from the outbox.
    private let lastGaugeRefresh = Mutex<ContinuousClock.Instant>(.now - .seconds(60))
    /// Rows published since the relay last vacuumed the outbox.
    private let publishedSinceVacuum = Mutex(0)
    /// Whether its role may vacuum the outbox (nil until the first vacuum is due).
    private let mayVacuum = Mutex<Bool?>(nil)

    init(pool: PostgresPool, redis: RedisClient, database: PostgresConfiguration, source: String,
         settings: EventBusConfiguration, metrics: EventMetrics, logger: Logger) {
        self.store = OutboxStore(pool: pool, source: source)
        self.redis = redis
        self.database = database
        self.settings = settings
        self.stream = settings.streamPrefix + EventEnvelope.streamName(source: source)
        self.metrics = metrics
        self.logger = logger.with(metadataKey: "component", value: "outbox-relay")
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown { await self.relayUntilCancelled() }
    }

    private func relayUntilCancelled() async {
        var listener: PostgresNotificationListener?
        var failures = 0
        var notified = false
        var lastPrune = ContinuousClock.Instant.now - .seconds(3600)
        while !Task.isCancelled {
            do {
                if listener == nil { listener = try? await PostgresNotificationListener.listen(database, channel: Outbox.channel(schema: database.schema)) }
                try await publishPending(notified: notified)
                failures = 0
                lastFailure.withLock { $0 = nil }
                if ContinuousClock.now - lastPrune > .seconds(60) {
                    lastPrune = .now
                    let pruned = try await store.prune(olderThan: settings.outboxRetention)
                    if pruned > 0 { logger.debug("published outbox rows pruned", metadata: ["rows": "\(pruned)"]) }
                }
                notified = try await waitForWork(listener: &listener)
            } catch is CancellationError {
                break
            } catch {
                failures += 1
                notified = false
                lastFailure.withLock { $0 = "\(error)" }
                logger.warning("events not published; retrying", metadata: ["error.description": "\(error)", "attempt": "\(failures)"])
                await refreshPendingMetrics()
                try? await Task.sleep(for: Self.backoff(afterFailures: failures))
            }
        }
        await listener?.close()
    }

    /// Publish batch after batch until the outbox is empty (or another replica is publishing).
    /// Woken by a `NOTIFY`, rows are waiting: it claims at once. Otherwise (a poll) one indexed
    /// query first, so an idle wake-up never opens the claiming transaction. The pending gauges
    /// are refreshed at most once a second while publishing.
    private func publishPending(notified: Bool) async throws {
        if !notified {
            let waiting = try await store.pending()
            record(waiting)
            guard waiting.count > 0 else { return }
        }
        while let count = try await store.publishBatch(limit: settings.relayBatchSize, publish) {
            metrics.published.increment(by: Int64(count))
            await vacuumIfDue(afterPublishing: count)
            if count < settings.relayBatchSize { break }
        }
        if ContinuousClock.now - lastGaugeRefresh.withLock({ $0 }) >= .seconds(1) { await refreshPendingMetrics() }
    }

    /// Vacuum the outbox once `EVENTS_OUTBOX_VACUUM_ROWS` rows have left it since the last
    /// time. Autovacuum visits a database once a minute (`autovacuum_naptime`); at thousands of
    /// events a second every claim would by then walk past a million dead index entries to
    /// reach the waiting rows (docs/adr/016). A failed vacuum is logged, not the relay's failure:
    /// the events are published, and autovacuum comes round in the end.
    private func vacuumIfDue(afterPublishing count: Int) async {
        let threshold = settings.outboxVacuumRows
        guard threshold > 0, publishedSinceVacuum.withLock({ published in
            published += count
            guard published >= threshold else { return false }
            published = 0
            return true
        }) else { return }
        do {
            if mayVacuum.withLock({ $0 }) == nil {
                let permitted = try await store.mayVacuum()
                mayVacuum.withLock { $0 = permitted }
                if !permitted {
                    logger.warning(
                        "the relay's database role does not own the outbox, so it cannot vacuum it: autovacuum alone will (EVENTS_OUTBOX_VACUUM_ROWS=0 says so)")
                }
            }
            guard mayVacuum.withLock({ $0 }) == true else { return }
            let started = ContinuousClock.now
            try await store.vacuum()
            logger.debug("outbox vacuumed", metadata: ["duration_ms": "\((ContinuousClock.now - started).wholeMilliseconds)"])
        } catch {
            logger.warning("outbox not vacuumed", metadata: ["error.description": "\(error)"])
        }
    }

    private func record(_ pending: (count: Int, oldestAge: Double)) {
        metrics.outboxPending.set(Double(pending.count))
        metrics.outboxOldestAge.set(pending.oldestAge)
    }

    /// `XADD` each event in one round trip; any error reply fails the whole batch.
    private func publish(_ events: [ClaimedEvent]) async throws {
        let commands: [[any RedisArgument]] = events.map { event in
            ["XADD", stream, "MAXLEN", "~", settings.streamMaxLength, "*", "id", event.id, "type", event.type, "event", event.envelope]
        }
        for reply in try await redis.pipeline(commands) {
            if case .error(let message) = reply { throw RedisError(.server, message) }
        }
    }

    /// Sleep until a NOTIFY or the poll interval; whether a NOTIFY came. A lost listener
    /// connection is reopened next round.
    private func waitForWork(listener: inout PostgresNotificationListener?) async throws -> Bool {
        guard let current = listener else {
            try await Task.sleep(for: settings.relayPollInterval)
            return false
        }
        var notified = false
        do {
            notified = try await current.wait(timeout: settings.relayPollInterval)
        } catch {
            await current.close()
            listener = nil
        }
        try Task.checkCancellation()
        return notified
    }

    private func refreshPendingMetrics() async {
        lastGaugeRefresh.withLock { $0 = .now }
        guard let pending = try? await store.pending() else { return }
        record(pending)
    }

    /// 100 ms doubling per consecutive failure, at most 30 s.
    static func backoff(afterFailures failures: Int) -> Duration {
        .milliseconds(min(30_000, 100 << min(failures - 1, 9)))
    }

    /// How many rows wait and the oldest one's age, for `/health` and `events status`.
    func pending() async throws -> (count: Int, oldestAge: Double) {
        try await store.pending()
    }
}
