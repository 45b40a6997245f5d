import FlotillaKit
import Prometheus

/// The time service's business metrics, beside the kit's RED metrics.
struct TimeMetrics: Sendable {
    let entriesLogged: Counter
    let timesheetsSubmitted: Counter
    let timesheetsApproved: Counter
    let timesheetsRejected: Counter

    init(registry: MetricsRegistry) {
        entriesLogged = registry.prometheus.makeCounter(descriptor: .named("time_entries_logged_total", help: "Time entries logged by hand (timers not counted)."))
        timesheetsSubmitted = registry.prometheus.makeCounter(descriptor: .named("time_timesheets_submitted_total", help: "Timesheets submitted."))
        timesheetsApproved = registry.prometheus.makeCounter(descriptor: .named("time_timesheets_approved_total", help: "Timesheets approved."))
        timesheetsRejected = registry.prometheus.makeCounter(descriptor: .named("time_timesheets_rejected_total", help: "Timesheets rejected."))
    }
}
