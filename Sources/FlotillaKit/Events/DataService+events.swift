extension DataService {
    /// Publish this service's outbox to `events:<service>` with an ``OutboxRelay`` running
    /// beside the server (the service's migrations must include ``Outbox/migrations(startingAt:)``).
    public func publishEvents() {
        let relay = OutboxRelay(
            pool: pool, redis: redis, database: configuration.database, source: configuration.service.identity.name,
            settings: configuration.events, metrics: eventMetrics, logger: runtime.logger)
        runtime.healthChecks.register(OutboxHealthCheck(relay: relay, warnAge: configuration.events.warnOutboxAge))
        addBackgroundService(relay)
    }

    /// Consume the event streams of the services `sources` as the group named after this
    /// service, handling events with `handlers` (the service's migrations must include
    /// ``ProcessedEvents/migration(version:)``).
    public func consumeEvents(from sources: [String], handlers: EventHandlers) {
        let settings = configuration.events
        let name = configuration.service.identity.name
        let group = ConsumerGroup(
            name: name, consumer: settings.consumerName, streams: sources.map { settings.streamPrefix + EventEnvelope.streamName(source: $0) },
            redis: redis, maxLength: settings.streamMaxLength, deadLetters: settings.streamPrefix + "dead:\(name)")
        let consumer = EventConsumer(
            group: group, handlers: handlers, pool: pool, redis: configuration.redis, settings: settings, metrics: eventMetrics, logger: runtime.logger)
        runtime.healthChecks.register(ConsumerHealthCheck(consumer: consumer, warnLag: settings.warnLag))
        addBackgroundService(consumer)
    }
}
