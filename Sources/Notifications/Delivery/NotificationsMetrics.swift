import FlotillaKit
import Prometheus

/// Business metrics: in-app items created (by category) and emails by outcome.
struct NotificationsMetrics: Sendable {
    let created: MetricFamily<Counter>
    let emails: MetricFamily<Counter>
    let reminders: Counter

    init(registry: MetricsRegistry) {
        created = MetricFamily(
            counter: "notifications_created_total", help: "In-app notifications created, by category.", labels: ["category"], registry: registry)
        emails = MetricFamily(
            counter: "notifications_emails_total", help: "Email send attempts, by outcome: sent, retried or failed (gave up).",
            labels: ["outcome"], registry: registry)
        reminders = registry.prometheus.makeCounter(descriptor: .named("notifications_reminders_fired_total", help: "Reminders fired."))
    }
}
