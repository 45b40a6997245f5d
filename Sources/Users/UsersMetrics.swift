import FlotillaKit
import Prometheus

/// The users service's business metrics, beside the kit's RED metrics.
struct UsersMetrics: Sendable {
    let organizationsCreated: Counter
    let invitationsSent: Counter
    let invitationsAccepted: Counter
    let profilesUpdated: Counter
    let usersDeactivated: Counter

    init(registry: MetricsRegistry) {
        organizationsCreated = registry.prometheus.makeCounter(descriptor: .named("users_organizations_created_total", help: "Organizations created."))
        invitationsSent = registry.prometheus.makeCounter(descriptor: .named("users_invitations_sent_total", help: "Invitations to organizations created."))
        invitationsAccepted = registry.prometheus.makeCounter(descriptor: .named("users_invitations_accepted_total", help: "Invitations accepted."))
        profilesUpdated = registry.prometheus.makeCounter(descriptor: .named("users_profiles_updated_total", help: "Profile changes by their owners."))
        usersDeactivated = registry.prometheus.makeCounter(descriptor: .named("users_deactivated_total", help: "People offboarded."))
    }
}
