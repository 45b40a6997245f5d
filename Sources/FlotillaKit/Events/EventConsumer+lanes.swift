public import Logging
import Prometheus

/// How a read batch is handled: split into lanes by aggregate (one aggregate's events in
/// order, different aggregates side by side), each lane's events in one transaction, and
/// one-by-one when that transaction fails, so one failing event holds back only itself.
extension EventConsumer {
    /// A delivery with its envelope (nil when the entry is not one).
    typealias Decoded = (delivery: ConsumerGroup.Delivery, envelope: EventEnvelope?)
    /// A delivery of an event this service handles, with its handler.
    typealias Handled = (delivery: ConsumerGroup.Delivery, envelope: EventEnvelope, handler: EventHandlers.Handler)

    /// Handle a batch in up to `EVENTS_CONSUMER_CONCURRENCY` lanes; then one `XACK` per
    /// stream for the deliveries done.
    func handle(_ deliveries: [ConsumerGroup.Delivery]) async throws {
        guard !deliveries.isEmpty else { return }
        let decoded: [Decoded] = deliveries.map { delivery in
            (delivery, delivery.entry.fields["event"].flatMap { try? EventEnvelope.decode($0) })
        }
        let lanes = Dictionary(grouping: decoded) { Self.lane(of: $0.envelope, count: settings.consumerConcurrency) }
        let done = try await withThrowingTaskGroup(of: [ConsumerGroup.Delivery].self) { tasks in
            for lane in lanes.values {
                tasks.addTask { try await self.handleLane(lane) }
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

    /// One lane, in order: the deliveries done (to acknowledge). Events this service handles
    /// go through one transaction together; should any handler (or the commit) fail, that
    /// transaction is rolled back and each event is handled alone.
    private func handleLane(_ lane: [Decoded]) async throws -> [ConsumerGroup.Delivery] {
        let handled: [Handled] = lane.compactMap { item in
            item.envelope.flatMap { envelope in handlers.byType[envelope.type].map { (item.delivery, envelope, $0) } }
        }
        if handled.count > 1, !Task.isCancelled {
            do {
                try await handleTogether(handled)
                let together = Set(handled.map(\.delivery.entry.id))
                var done = handled.map(\.delivery)
                for item in lane where !together.contains(item.delivery.entry.id) {
                    if try await handleAlone(item) { done.append(item.delivery) }
                }
                return done
            } catch {
                try Task.checkCancellation()
                logger.debug("a lane's transaction failed; handling its events one by one", metadata: ["error.description": "\(error)"])
            }
        }
        var done = [ConsumerGroup.Delivery]()
        for item in lane where !Task.isCancelled {
            if try await handleAlone(item) { done.append(item.delivery) }
        }
        return done
    }

    /// Handle events in one transaction that records them all as processed; each runs under
    /// the trace of the request that caused it. Throws (having rolled back) if any fails, or
    /// if any was processed before (or is in the batch twice): the caller handles them alone.
    private func handleTogether(_ events: [Handled]) async throws {
        let started = ContinuousClock.now
        try await pool.withTransaction { session in
            try await session.markAllProcessed(events.map { ($0.envelope, $0.delivery.stream, $0.delivery.entry.id) })
            for (_, envelope, handler) in events {
                try await RequestCorrelation.$current.withValue(envelope.correlation) { try await handler(envelope, session) }
            }
        }
        let share = (ContinuousClock.now - started) / events.count
        for (delivery, envelope, _) in events {
            RequestCorrelation.$current.withValue(envelope.correlation) {
                noteOutcome(envelope, delivery, fresh: true, duration: share)
            }
        }
    }

    /// Handle one delivery alone: run its handler once (deduplicated); true when it is done
    /// (handled, a duplicate, not for us, or dead-lettered) and may be acknowledged, false to
    /// leave it pending for a redelivery.
    private func handleAlone(_ item: Decoded) async throws -> Bool {
        let delivery = item.delivery
        guard let envelope = item.envelope else {
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
            let started = ContinuousClock.now
            do {
                let fresh = try await pool.withTransaction { session in
                    guard try await session.markProcessed(envelope, stream: delivery.stream, entryID: delivery.entry.id) else { return false }
                    try await handler(envelope, session)
                    return true
                }
                noteOutcome(envelope, delivery, fresh: fresh, duration: ContinuousClock.now - started)
                return true
            } catch {
                let metadata = Self.metadata(envelope, delivery).merging(["error.description": "\(error)"]) { $1 }
                if delivery.deliveries >= settings.maxDeliveries {
                    metrics.consumed(envelope.type, "dead_lettered").increment()
                    metrics.deadLettered(delivery.stream, group.name).increment()
                    logger.error("event failed on its last delivery: dead-lettered", metadata: metadata)
                    try await group.deadLetter(delivery, error: "\(error)")
                    return true
                }
                metrics.consumed(envelope.type, "failed").increment()
                logger.warning("event handler failed; it will be redelivered", metadata: metadata)
                return false
            }
        }
    }

    /// Metrics and the log line of an event handled (or skipped as a duplicate).
    private func noteOutcome(_ envelope: EventEnvelope, _ delivery: ConsumerGroup.Delivery, fresh: Bool, duration: Duration) {
        metrics.handlerDuration(envelope.type).record(duration)
        metrics.consumed(envelope.type, fresh ? "handled" : "duplicate").increment()
        logger.info(fresh ? "event handled" : "duplicate event skipped", metadata: Self.metadata(envelope, delivery))
    }

    private static func metadata(_ envelope: EventEnvelope, _ delivery: ConsumerGroup.Delivery) -> Logger.Metadata {
        ["event.id": "\(envelope.id)", "event.type": "\(envelope.type)", "stream": "\(delivery.stream)", "deliveries": "\(delivery.deliveries)"]
    }
}
