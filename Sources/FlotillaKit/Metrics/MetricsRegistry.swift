public import Prometheus

/// A service's metrics: a Prometheus registry for the service and kit components, plus the
/// process metrics and `flotilla_build_info`, exposed together at `/metrics`.
///
/// Each application owns its registry (no global state), so several apps can run in one
/// test process. Every metric carries a `# HELP` line so `promtool check metrics` is clean.
public final class MetricsRegistry: Sendable {
    /// The underlying registry, for kit components and services to create metrics in.
    public let prometheus: PrometheusCollectorRegistry

    /// Create a registry reporting `flotilla_build_info{service, version} 1`.
    public init(service: String, version: String) {
        self.prometheus = PrometheusCollectorRegistry()
        prometheus.makeGauge(descriptor: .named("flotilla_build_info", help: "Always 1; labels name the service and the version of its build."), labels: [("service", service), ("version", version)]).set(to: 1.0)
    }

    /// The whole exposition in Prometheus text format 0.0.4.
    public func exposition() -> String {
        var text = prometheus.emitToString()
        ProcessMetrics.sample()?.render(into: &text)
        return text
    }

    /// Content type of ``exposition()``.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}
