public import Prometheus
import Synchronization

/// One labelled metric (`http_server_requests_total{method,route,status}`) whose series are
/// made in the registry once per distinct label values and afterwards found with one
/// dictionary lookup: on hot paths, asking the registry each time (building the descriptor,
/// checking the name, looking the labels up under its lock) costs more than the update.
public final class MetricFamily<Metric: Sendable>: Sendable {
    private let labelNames: [String]
    private let make: @Sendable ([(String, String)]) -> Metric
    private let series = Mutex<[[String]: Metric]>([:])

    /// A family with these label names; `make` creates a series for its labels.
    init(labelNames: [String], make: @escaping @Sendable ([(String, String)]) -> Metric) {
        self.labelNames = labelNames
        self.make = make
    }

    /// The series for `values`, one per label name, in order.
    public func callAsFunction(_ values: String...) -> Metric {
        precondition(values.count == labelNames.count, "\(labelNames.count) label values expected")
        if let existing = series.withLock({ $0[values] }) { return existing }
        let made = make(Array(zip(labelNames, values)))
        return series.withLock { series in
            if let existing = series[values] { return existing }
            series[values] = made
            return made
        }
    }
}

extension MetricFamily where Metric == Counter {
    /// A labelled counter `name` with its `# HELP` text.
    public convenience init(counter name: String, help: String, labels: [String], registry: MetricsRegistry) {
        let prometheus = registry.prometheus
        self.init(labelNames: labels) { prometheus.makeCounter(descriptor: .named(name, help: help), labels: $0) }
    }
}

extension MetricFamily where Metric == DurationHistogram {
    /// A labelled duration histogram `name` (seconds) with its `# HELP` text and buckets.
    public convenience init(histogram name: String, help: String, labels: [String], buckets: [Duration], registry: MetricsRegistry) {
        let prometheus = registry.prometheus
        self.init(labelNames: labels) { prometheus.makeDurationHistogram(descriptor: .named(name, help: help), labels: $0, buckets: buckets) }
    }
}

extension MetricFamily where Metric == Gauge {
    /// A labelled gauge `name` with its `# HELP` text.
    public convenience init(gauge name: String, help: String, labels: [String], registry: MetricsRegistry) {
        let prometheus = registry.prometheus
        self.init(labelNames: labels) { prometheus.makeGauge(descriptor: .named(name, help: help), labels: $0) }
    }
}
