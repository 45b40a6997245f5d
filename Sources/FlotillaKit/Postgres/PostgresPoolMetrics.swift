import Prometheus

/// The pool's series in `/metrics`.
struct PostgresPoolMetrics: Sendable {
    let idle: Gauge
    let inUse: Gauge
    let waiting: Gauge
    let waitSeconds: DurationHistogram
    let queriesOK: Counter
    let queriesFailed: Counter
    let queryDuration: DurationHistogram
    let connectErrors: Counter
    let transactionRetries: Counter

    init(registry: MetricsRegistry) {
        let prometheus = registry.prometheus
        let connectionsHelp = "Database connections in the pool, by state."
        idle = prometheus.makeGauge(descriptor: .named("db_pool_connections", help: connectionsHelp), labels: [("state", "idle")])
        inUse = prometheus.makeGauge(descriptor: .named("db_pool_connections", help: connectionsHelp), labels: [("state", "in_use")])
        waiting = prometheus.makeGauge(descriptor: .named("db_pool_waiters", help: "Callers waiting for a free database connection."))
        waitSeconds = prometheus.makeDurationHistogram(descriptor: .named("db_pool_wait_seconds", help: "Time callers waited to get a database connection."), buckets: HTTPServerMetricsMiddleware.durationBuckets)
        let queriesHelp = "Database statements run, by outcome."
        queriesOK = prometheus.makeCounter(descriptor: .named("db_queries_total", help: queriesHelp), labels: [("outcome", "ok")])
        queriesFailed = prometheus.makeCounter(descriptor: .named("db_queries_total", help: queriesHelp), labels: [("outcome", "error")])
        queryDuration = prometheus.makeDurationHistogram(descriptor: .named("db_query_duration_seconds", help: "Time to run a database statement, including the hop to the pool's threads."), buckets: HTTPServerMetricsMiddleware.durationBuckets)
        connectErrors = prometheus.makeCounter(descriptor: .named("db_pool_connect_errors_total", help: "Failed attempts to open a database connection."))
        transactionRetries = prometheus.makeCounter(descriptor: .named("db_transaction_retries_total", help: "Transactions retried after a serialization failure or deadlock."))
    }

    func publish(idle: Int, inUse: Int, waiting: Int) {
        self.idle.set(to: Double(idle))
        self.inUse.set(to: Double(inUse))
        self.waiting.set(to: Double(waiting))
    }

    func recordQuery(ok: Bool, elapsed: Duration) {
        (ok ? queriesOK : queriesFailed).increment()
        queryDuration.record(elapsed)
    }
}
