import FlotillaKit
import Prometheus

/// Proxied requests by route prefix and status (the server's own metrics see one
/// catch-all route), with their duration.
struct GatewayMetrics: Sendable {
    let registry: PrometheusCollectorRegistry

    init(metrics: MetricsRegistry) {
        registry = metrics.prometheus
    }

    func record(route: GatewayRoute, status: Int, since started: ContinuousClock.Instant) {
        let labels = [("route", route.prefix), ("upstream", route.upstream)]
        registry.makeCounter(
            descriptor: .named("gateway_requests_total", help: "Requests the gateway answered, by route prefix, upstream and status."),
            labels: labels + [("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .named("gateway_request_duration_seconds", help: "Time to answer a routed request, policies included, by route prefix."),
            labels: labels, buckets: HTTPServerMetricsMiddleware.durationBuckets
        ).record(ContinuousClock.now - started)
    }
}
