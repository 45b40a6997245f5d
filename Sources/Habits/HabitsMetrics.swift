import FlotillaKit
import Logging
import Prometheus
import ServiceLifecycle

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

/// Sets the `habits_stored` gauges from the database at start and every `interval`, so
/// they are right across replicas and restarts (writes also adjust them at once).
struct HabitTotalsRefresher: Service {
    let habits: HabitRepository
    let metrics: HabitsMetrics
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var wait = interval
            do {
                let totals = try await habits.totals()
                metrics.activeHabits.set(Double(totals.active))
                metrics.archivedHabits.set(Double(totals.archived))
            } catch {
                // Before migrations have run, or the database is away: try again soon.
                logger.debug("habit totals not refreshed", metadata: ["error.description": "\(error)"])
                wait = min(interval, .seconds(1))
            }
            let pause = wait
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
    }
}
