import Prometheus

/// A pool's series in `/metrics`, named with its prefix (`db_pool`, `redis_pool`).
struct ConnectionPoolMetrics: Sendable {
    let idle: Gauge
    let inUse: Gauge
    let waiting: Gauge
    let waitSeconds: DurationHistogram
    let connectErrors: Counter

    init(registry: MetricsRegistry, prefix: String, what: String) {
        let prometheus = registry.prometheus
        let connections = MetricNameDescriptor.named("\(prefix)_connections", help: "\(what) connections in the pool, by state.")
        idle = prometheus.makeGauge(descriptor: connections, labels: [("state", "idle")])
        inUse = prometheus.makeGauge(descriptor: connections, labels: [("state", "in_use")])
        waiting = prometheus.makeGauge(descriptor: .named("\(prefix)_waiters", help: "Callers waiting for a free \(what) connection."))
        waitSeconds = prometheus.makeDurationHistogram(
            descriptor: .named("\(prefix)_wait_seconds", help: "Time callers waited to get a \(what) connection."),
            buckets: HTTPServerMetricsMiddleware.durationBuckets)
        connectErrors = prometheus.makeCounter(
            descriptor: .named("\(prefix)_connect_errors_total", help: "Failed attempts to open a \(what) connection."))
    }

    func publish(idle: Int, inUse: Int, waiting: Int) {
        self.idle.set(to: Double(idle))
        self.inUse.set(to: Double(inUse))
        self.waiting.set(to: Double(waiting))
    }
}
