public import Prometheus

extension MetricNameDescriptor {
    /// A descriptor for the full metric `name` (unit suffix included, e.g. `db_queries_total`)
    /// with its `# HELP` text, which every Flotilla metric carries.
    public static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
