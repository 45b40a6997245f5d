import FlotillaKit
import Prometheus

/// Business metrics for the dashboards: check-ins by outcome, and how many habits exist.
struct HabitsMetrics: Sendable {
    let checkIns: MetricFamily<Counter>
    let activeHabits: Gauge
    let archivedHabits: Gauge

    init(registry: MetricsRegistry) {
        checkIns = MetricFamily(
            counter: "habits_check_ins_total", help: "Check-ins recorded, by result: created, updated or undone.",
            labels: ["result"], registry: registry)
        // A gauge may not end in _total (promtool), hence not `habits_total`.
        let total = MetricNameDescriptor.named("habits_stored", help: "Habits stored (all users), by state: active or archived.")
        activeHabits = registry.prometheus.makeGauge(descriptor: total, labels: [("state", "active")])
        archivedHabits = registry.prometheus.makeGauge(descriptor: total, labels: [("state", "archived")])
    }
}

extension HabitsMetrics {
    /// Set the `habits_stored` gauges from the database (at start and periodically, so they
    /// are right across replicas and restarts; writes also adjust them at once).
    func refresh(from habits: HabitRepository) async throws {
        let totals = try await habits.totals()
        activeHabits.set(Double(totals.active))
        archivedHabits.set(Double(totals.archived))
    }
}
