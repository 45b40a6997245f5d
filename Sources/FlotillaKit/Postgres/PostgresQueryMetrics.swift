import Prometheus

/// Statement-level series of a PostgreSQL pool (pool-level ones come from ``ConnectionPoolMetrics``).
struct PostgresQueryMetrics: Sendable {
    let queriesOK: Counter
    let queriesFailed: Counter
    let queryDuration: DurationHistogram
    let transactionRetries: Counter

    init(registry: MetricsRegistry) {
        let prometheus = registry.prometheus
        let queries = MetricNameDescriptor.named("db_queries_total", help: "Database statements run, by outcome.")
        queriesOK = prometheus.makeCounter(descriptor: queries, labels: [("outcome", "ok")])
        queriesFailed = prometheus.makeCounter(descriptor: queries, labels: [("outcome", "error")])
        queryDuration = prometheus.makeDurationHistogram(
            descriptor: .named("db_query_duration_seconds", help: "Time to run a database statement, including the hop to the pool's threads."),
            buckets: HTTPServerMetricsMiddleware.durationBuckets)
        transactionRetries = prometheus.makeCounter(
            descriptor: .named("db_transaction_retries_total", help: "Transactions retried after a serialization failure or deadlock."))
    }

    func recordQuery(ok: Bool, elapsed: Duration) {
        (ok ? queriesOK : queriesFailed).increment()
        queryDuration.record(elapsed)
    }
}
