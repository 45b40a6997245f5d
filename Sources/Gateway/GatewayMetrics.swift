import FlotillaKit
import Prometheus

/// Proxied requests by route prefix and status (the server's own metrics see one
/// catch-all route), with their duration.
struct GatewayMetrics: Sendable {
    let requests: MetricFamily<Counter>
    let durations: MetricFamily<DurationHistogram>

    init(metrics: MetricsRegistry) {
        requests = MetricFamily(
            counter: "gateway_requests_total", help: "Requests the gateway answered, by route prefix, upstream and status.",
            labels: ["route", "upstream", "status"], registry: metrics)
        durations = MetricFamily(
            histogram: "gateway_request_duration_seconds", help: "Time to answer a routed request, policies included, by route prefix.",
            labels: ["route", "upstream"], buckets: HTTPServerMetricsMiddleware.durationBuckets, registry: metrics)
    }

    func record(route: GatewayRoute, status: Int, since started: ContinuousClock.Instant) {
        requests(route.prefix, route.upstream, String(status)).increment()
        durations(route.prefix, route.upstream).record(ContinuousClock.now - started)
    }
}
