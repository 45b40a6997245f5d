import Prometheus

/// Series of calls to one upstream and of its breaker.
struct UpstreamMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let upstream: String
    let inFlight: Gauge
    let duration: DurationHistogram
    let retries: Counter
    let breakerState: Gauge
    let calls: MetricFamily<Counter>

    init(registry: MetricsRegistry, upstream: String) {
        self.registry = registry.prometheus
        self.upstream = upstream
        inFlight = registry.prometheus.makeGauge(
            descriptor: .named("http_client_requests_in_flight", help: "Outgoing HTTP calls in progress, by upstream."), labels: [("upstream", upstream)])
        duration = registry.prometheus.makeDurationHistogram(
            descriptor: .named("http_client_request_duration_seconds", help: "Time of outgoing HTTP calls (all attempts), by upstream."),
            labels: [("upstream", upstream)], buckets: HTTPServerMetricsMiddleware.durationBuckets)
        retries = registry.prometheus.makeCounter(
            descriptor: .named("http_client_retries_total", help: "Outgoing HTTP attempts that were retried, by upstream."), labels: [("upstream", upstream)])
        breakerState = registry.prometheus.makeGauge(
            descriptor: .named("circuit_breaker_state", help: "Circuit breaker state by upstream: 0 closed, 1 half-open, 2 open."), labels: [("upstream", upstream)])
        calls = MetricFamily(
            counter: "http_client_requests_total", help: "Outgoing HTTP calls, by upstream, method and status or error.",
            labels: ["upstream", "method", "outcome"], registry: registry)
    }

    /// Count one finished call: `outcome` is the status code or the error kind.
    func recordCall(method: String, outcome: String) {
        calls(upstream, method, outcome).increment()
    }

    func recordTransition(to state: String) {
        registry.makeCounter(
            descriptor: .named("circuit_breaker_transitions_total", help: "Circuit breaker state changes, by upstream and new state."),
            labels: [("upstream", upstream), ("to", state)]
        ).increment()
    }
}
