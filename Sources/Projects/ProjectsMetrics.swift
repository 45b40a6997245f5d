import FlotillaKit
import Prometheus

/// Business metrics: projects created and membership changes.
struct ProjectsMetrics: Sendable {
    let projectsCreated: Counter

    init(registry: MetricsRegistry) {
        projectsCreated = registry.prometheus.makeCounter(
            descriptor: .named("projects_created_total", help: "Projects created."))
    }
}
