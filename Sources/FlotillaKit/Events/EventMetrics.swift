import Prometheus

/// The event bus's metrics: what relays published and what is waiting, what consumers
/// handled (by type and outcome), how far behind each group is, and what was dead-lettered.
struct EventMetrics: Sendable {
    let published: Counter
    let outboxPending: Gauge
    let outboxOldestAge: Gauge
    let consumed: MetricFamily<Counter>
    let handlerDuration: MetricFamily<DurationHistogram>
    let lag: MetricFamily<Gauge>
    let deadLettered: MetricFamily<Counter>

    init(registry: MetricsRegistry) {
        let prometheus = registry.prometheus
        published = prometheus.makeCounter(descriptor: .named("events_published_total", help: "Outbox rows published to the service's event stream."))
        outboxPending = prometheus.makeGauge(descriptor: .named("events_outbox_pending", help: "Outbox rows committed but not yet published."))
        outboxOldestAge = prometheus.makeGauge(
            descriptor: .named("events_outbox_oldest_age_seconds", help: "Age of the oldest unpublished outbox row (0 when none)."))
        consumed = MetricFamily(
            counter: "events_consumed_total", help: "Events taken from streams, by type and outcome: handled, duplicate, ignored, failed, dead_lettered.",
            labels: ["type", "outcome"], registry: registry)
        handlerDuration = MetricFamily(
            histogram: "events_handler_duration_seconds", help: "Time to handle one event, with its share of its transaction (the events of a lane share one).",
            labels: ["type"], buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)],
            registry: registry)
        lag = MetricFamily(
            gauge: "events_consumer_lag", help: "Entries in a stream not yet delivered to the consumer group (XINFO GROUPS lag).",
            labels: ["stream", "group"], registry: registry)
        deadLettered = MetricFamily(
            counter: "events_dead_lettered_total", help: "Events moved to the dead-letter stream after failing every delivery.",
            labels: ["stream", "group"], registry: registry)
    }
}
