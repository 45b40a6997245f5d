import FlotillaKit
import Prometheus

/// The comments service's business metrics, beside the kit's RED metrics.
struct CommentsMetrics: Sendable {
    let posted: Counter
    let edited: Counter
    let deleted: Counter
    let mentions: Counter
    let reactions: Counter

    init(registry: MetricsRegistry) {
        posted = registry.prometheus.makeCounter(descriptor: .named("comments_posted_total", help: "Comments and replies posted."))
        edited = registry.prometheus.makeCounter(descriptor: .named("comments_edited_total", help: "Comments edited by their authors."))
        deleted = registry.prometheus.makeCounter(descriptor: .named("comments_deleted_total", help: "Comments deleted, by authors or moderators."))
        mentions = registry.prometheus.makeCounter(descriptor: .named("comments_mentions_total", help: "People mentioned in posted comments."))
        reactions = registry.prometheus.makeCounter(descriptor: .named("comments_reactions_added_total", help: "Reactions added to comments."))
    }
}
