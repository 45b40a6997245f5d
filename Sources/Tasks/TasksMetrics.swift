import FlotillaKit
import Prometheus

/// Business metrics: tasks created and completed, and open tasks by state group.
struct TasksMetrics: Sendable {
    let created: Counter
    let completed: Counter
    let byGroup: [StateGroup: Gauge]

    init(registry: MetricsRegistry) {
        created = registry.prometheus.makeCounter(descriptor: .named("tasks_created_total", help: "Tasks created (project and personal)."))
        completed = registry.prometheus.makeCounter(descriptor: .named("tasks_completed_total", help: "Tasks moved into a completed state."))
        let stored = MetricNameDescriptor.named("tasks_stored", help: "Tasks stored (all projects and users), by state group.")
        byGroup = Dictionary(uniqueKeysWithValues: StateGroup.allCases.map {
            ($0, registry.prometheus.makeGauge(descriptor: stored, labels: [("state_group", $0.rawValue)]))
        })
    }
}

extension TasksMetrics {
    /// Set `tasks_stored` from the database (at start and periodically, so the gauges are
    /// right across replicas and restarts).
    func refresh(from pool: PostgresPool) async throws {
        let rows = try await pool.query("SELECT state_group, count(*)::int AS n FROM tasks GROUP BY state_group").rows
        var counts: [String: Int] = [:]
        for row in rows { counts[try row.decode("state_group", as: String.self)] = try row.decode("n", as: Int.self) }
        for (group, gauge) in byGroup { gauge.set(Double(counts[group.rawValue] ?? 0)) }
    }
}
