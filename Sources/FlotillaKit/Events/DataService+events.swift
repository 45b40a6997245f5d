extension DataService {
    /// Publish this service's outbox to `events:<service>` with an ``OutboxRelay`` running
    /// beside the server (the service's migrations must include ``Outbox/migrations(startingAt:)``).
    public func publishEvents() {
        addBackgroundService(runtime.makeOutboxRelay(pool: pool, redis: redis, database: configuration.database, settings: configuration.events))
    }

    /// Consume the event streams of the services `sources` as the group named after this
    /// service, handling events with `handlers` (the service's migrations must include
    /// ``ProcessedEvents/migration(version:)``).
    public func consumeEvents(from sources: [String], handlers: EventHandlers) {
        let settings = configuration.events
        let name = configuration.service.identity.name
        let group = ConsumerGroup(service: name, sources: sources, settings: settings, redis: redis)
        let consumer = EventConsumer(
            group: group, handlers: handlers, pool: pool, redis: configuration.redis, settings: settings, metrics: runtime.eventMetrics, logger: runtime.logger)
        runtime.healthChecks.register(ConsumerHealthCheck(consumer: consumer, warnLag: settings.warnLag))
        addBackgroundService(consumer)
    }
}

extension ServiceRuntime {
    /// The relay publishing the outbox of `pool`'s schema to `events:<service>`, with its
    /// `/health` check; run it beside the server. (``DataService/publishEvents()`` does this
    /// for data services; auth, which is not one, calls it directly.)
    public func makeOutboxRelay(pool: PostgresPool, redis: RedisClient, database: PostgresConfiguration, settings: EventBusConfiguration) -> OutboxRelay {
        let relay = OutboxRelay(
            pool: pool, redis: redis, database: database, source: configuration.identity.name, settings: settings, metrics: eventMetrics, logger: logger)
        healthChecks.register(OutboxHealthCheck(relay: relay, warnAge: settings.warnOutboxAge))
        return relay
    }
}
